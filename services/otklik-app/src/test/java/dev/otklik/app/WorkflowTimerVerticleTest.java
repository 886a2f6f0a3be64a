package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.store.Organisation;
import dev.otklik.store.TenantStore;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestClock;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestPeople;
import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorkflowTimerVerticleTest {

  @Test
  @DisplayName("ЦИК-Алекон's real config: a call registered without the request form is closed by timeout 8 clock hours later by the timer verticle; one filed with its form is not")
  void cikAlekonFormTimerClosesWithoutForm() throws Exception {
    TenantTransactions tx = TestDatabase.transactions();
    Vertx vertx = Vertx.vertx();
    TenantRegistrySource source = TenantRegistrySource.create(vertx, TestTenantConfig.repositoryDir(),
        new TenantStore(tx));
    try {
      source.loadInitial().await();
      TestClock clock = new TestClock(Instant.parse("2026-06-10T06:00:00Z"));
      TicketStore store = new TicketStore(tx, clock);
      Organisation org = TestPeople.organisation(tx, "cik-alekon");
      TicketStore.Caller customer = new TicketStore.Caller(
          TestPeople.user(tx, "cik-alekon", Role.CUSTOMER, org.id()).id(), Role.CUSTOMER, org.id());
      TicketStore.Caller agent = new TicketStore.Caller(
          TestPeople.user(tx, "cik-alekon", Role.AGENT, null).id(), Role.AGENT, null);
      Ticket call = store.create("cik-alekon", agent, request(org, customer, null),
          SlaTimerVerticle.clocksOf("cik-alekon", source)).await().value();
      Ticket filed = store.create("cik-alekon", customer, request(org, customer, new JsonObject()),
          SlaTimerVerticle.clocksOf("cik-alekon", source)).await().value();
      clock.advance(Duration.ofHours(8));

      CompletableFuture<JsonObject> signal = new CompletableFuture<>();
      vertx.eventBus().<JsonObject>consumer(EventBusAddresses.tenantEvents("cik-alekon"), m -> {
        if ("status-changed".equals(m.body().getString("type"))) {
          signal.complete(m.body());
        }
      });
      vertx.deployVerticle(new SlaTimerVerticle(() -> List.of("cik-alekon"), store, Duration.ofHours(1),
          tenantId -> SlaTimerVerticle.clocksOf(tenantId, source))).await();
      assertThat(signal.get(10, TimeUnit.SECONDS).getBoolean("public")).isTrue();
      assertThat(store.find("cik-alekon", agent, call.number()).await().orElseThrow().status())
          .isEqualTo(WorkflowStatus.CLOSED_BY_TIMEOUT);
      assertThat(store.find("cik-alekon", agent, filed.number()).await().orElseThrow().status())
          .isEqualTo(WorkflowStatus.NEW);
      assertThat(store.events("cik-alekon", agent, call.number(), 0, 100).await())
          .filteredOn(e -> e.type().equals("status-changed"))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.actorId()).as("the system").isNull();
            assertThat(e.after().getString("timer")).isEqualTo("form-not-received");
          });
    } finally {
      source.close().await();
      vertx.close().await();
    }
  }

  static TicketStore.NewTicket request(Organisation org, TicketStore.Caller customer, JsonObject form) {
    return new TicketStore.NewTicket("CIK", ZoneId.of("Europe/Moscow"), form == null ? "phone" : "portal",
        "failure", null, null, "emergency", null, "Сбой", "Не работает", form, org.id(), customer.userId(), null,
        null, null);
  }
}
