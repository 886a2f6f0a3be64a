package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlaRecalculationTest {

  record Resolution(Instant dueAt, String slaVersion, long events) {}

  static Resolution resolution(Ticket t) throws Exception {
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT due_at, sla_version, (SELECT count(*) FROM ticket_event e"
            + " WHERE e.ticket_id = d.ticket_id AND e.type = 'sla-recalculated') FROM ticket_deadline d"
            + " WHERE ticket_id = ?::uuid AND target_id = 'resolution'")) {
      ps.setString(1, t.id().toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Resolution(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getLong(3));
      }
    }
  }

  @Test
  @DisplayName("ИМЦ's config changes error/urgent resolution from 1 to 2 working days: on reload the open request's due_at moves from its original start, the new SLA version is on the row, and sla-recalculated is recorded once")
  void reloadWithChangedFigureRecalculatesOpenDeadlines(@TempDir Path dir) throws Exception {
    TestTenantConfig.copyTo(dir);
    TenantTransactions tx = TestDatabase.transactions();
    Vertx vertx = Vertx.vertx();
    TenantRegistrySource source = TenantRegistrySource.create(vertx, dir, new TenantStore(tx));
    try {
      source.loadInitial().await();
      TestClock clock = new TestClock(Instant.parse("2026-06-10T06:00:00Z")); // Wed 09:00 MSK
      TicketStore store = new TicketStore(tx, clock);
      new SlaRecalculation(source, store).install();
      Organisation org = TestPeople.organisation(tx, "imc");
      TicketStore.Caller customer = new TicketStore.Caller(
          TestPeople.user(tx, "imc", Role.CUSTOMER, org.id()).id(), Role.CUSTOMER, org.id());
      TicketStore.Caller agent = new TicketStore.Caller(
          TestPeople.user(tx, "imc", Role.AGENT, null).id(), Role.AGENT, null);
      Ticket t = store.create("imc", customer, new TicketStore.NewTicket("IMC", ZoneId.of("Europe/Moscow"), "portal",
          null, "error", "urgent", null, null, "Ошибка", "Отчёт падает", null, org.id(), customer.userId(), null,
          null, null), SlaTimerVerticle.clocksOf("imc", source)).await().value();
      clock.advance(Duration.ofHours(1));
      store.transition("imc", agent, t.number(), "start", current -> WorkflowStatus.IN_PROGRESS,
          SlaTimerVerticle.clocksOf("imc", source)).await();
      assertThat(resolution(t)).isEqualTo(new Resolution(Instant.parse("2026-06-11T07:00:00Z"), "2026.1", 0));

      Path imc = dir.resolve("imc.yaml");
      String yaml = Files.readString(imc);
      String figure = "          duration: \"1 working-days\"\n          warn-before: \"4 working-hours\"\n"
          + "          label:\n            ru: \"Предоставить решение";
      assertThat(yaml).contains(figure);
      Files.writeString(imc, yaml.replaceFirst(java.util.regex.Pattern.quote(figure),
              figure.replace("1 working-days", "2 working-days"))
          .replace("  version: \"2026.1\"", "  version: \"2026.2\""));
      source.reload().await();

      Resolution after = null;
      for (int i = 0; i < 100; i++) {
        after = resolution(t);
        if (after.events() > 0) {
          break;
        }
        Thread.sleep(100);
      }
      // Wed 10:00 + 2 working days: Thu 11 June is shortened, Fri 12 June a holiday: Mon 15 June 10:00 MSK
      assertThat(after).isEqualTo(new Resolution(Instant.parse("2026-06-15T07:00:00Z"), "2026.2", 1));
    } finally {
      source.close().await();
      vertx.close().await();
    }
  }
}
