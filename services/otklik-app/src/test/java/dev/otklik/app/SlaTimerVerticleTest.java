package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.EventBusAddresses;
import dev.otklik.store.SlaDesk;
import dev.otklik.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlaTimerVerticleTest {

  @Test
  @DisplayName("a timer that fell due while no node ran fires as soon as the verticle starts, and the event signal is published")
  void overdueTimerFiresOnStart() throws Exception {
    SlaDesk desk = new SlaDesk(TestDatabase.transactions());
    String tenant = desk.tenantId;
    desk.file();
    desk.clock.advance(Duration.ofDays(2)); // the triage deadline (Thu 09:00 MSK) passed while nothing ran

    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<JsonObject> signal = new CompletableFuture<>();
      vertx.eventBus().<JsonObject>consumer(EventBusAddresses.tenantEvents(tenant), m -> signal.complete(m.body()));
      vertx.deployVerticle(new SlaTimerVerticle(() -> List.of(tenant), desk.store, Duration.ofHours(1))).await();
      JsonObject body = signal.get(10, TimeUnit.SECONDS);
      assertThat(body.getString("type")).isEqualTo("sla-breached");
      assertThat(body.getBoolean("public")).isFalse();
      try (Connection c = TestDatabase.superuserConnection();
          PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE fired_at IS NOT NULL),"
              + " (SELECT count(*) FROM ticket_event WHERE tenant_id = ? AND type = 'sla-breached')"
              + " FROM sla_timer WHERE tenant_id = ?")) {
        ps.setString(1, tenant);
        ps.setString(2, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(1);
          assertThat(rs.getLong(2)).isEqualTo(1);
        }
      }
    } finally {
      vertx.close().await();
    }
  }
}
