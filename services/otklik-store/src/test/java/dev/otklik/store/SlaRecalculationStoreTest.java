package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.SlaCell;
import dev.otklik.core.tenant.SlaPolicy;
import dev.otklik.core.tenant.TargetType;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.time.DeadlineCalculator;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Recalculating open deadlines after a tenant's config changed, in batches. */
class SlaRecalculationStoreTest {

  static final TenantTransactions tx = TestDatabase.transactions();

  /** {@link TestSla#policy()} with error/urgent resolution raised from 1 to 2 working days, as version 2. */
  static SlaClocks twoDayResolution() {
    SlaPolicy p = TestSla.policy();
    List<SlaCell> cells = new ArrayList<>();
    for (SlaCell c : p.cells()) {
      if (!c.id().equals("error-urgent")) {
        cells.add(c);
        continue;
      }
      cells.add(new SlaCell(c.id(), c.match(), c.note(), c.notifyAllCustomers(), c.targets().stream()
          .map(t -> !t.id().equals("resolution") ? t : TestSla.target("resolution", TargetType.RESOLUTION,
              Side.VENDOR, ClockStart.TRIAGE_FINISHED, ClockStop.SOLUTION_DELIVERED, "2 working-days",
              "4 working-hours"))
          .toList()));
    }
    SlaPolicy v2 = new SlaPolicy(p.policy(), "test-2026.2", p.statement(), p.pauseVendorClocksWhile(),
        p.customerDelayReleasesVendor(), p.commonTargets(), cells);
    return new SlaClocks(v2, new DeadlineCalculator(TestSla.calendar(), TestSla.releases()));
  }

  static List<JsonObject> recalculatedEvents(String tenantId) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT json_build_object('actor', actor_id, 'public', public,"
            + " 'before', before, 'after', after)::text FROM ticket_event WHERE tenant_id = ?"
            + " AND type = 'sla-recalculated' ORDER BY sequence")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new JsonObject(rs.getString(1)));
        }
      }
    }
    return out;
  }

  static Map<String, Object> row(Ticket t, String target) throws Exception {
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT due_at, sla_version, config_version, status, paused_seconds"
            + " FROM ticket_deadline WHERE ticket_id = ?::uuid AND target_id = ?")) {
      ps.setString(1, t.id().toString());
      ps.setString(2, target);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Map.of("due", rs.getObject(1, OffsetDateTime.class).toInstant(), "sla", rs.getString(2),
            "config", rs.getInt(3), "status", rs.getString(4), "paused", rs.getLong(5));
      }
    }
  }

  @Test
  @DisplayName("a changed resolution figure moves due_at of open requests from their original start, keeps pauses, stamps the new version and records before/after once")
  void changedFigureMovesOpenDeadlines() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket started = d.fileAndStartAnHourLater(); // resolution started Wed 10:00, 1 working day: Thu 10:00 (shortened day)
    Ticket paused = d.fileAndStartAnHourLater();
    d.move(d.agent, paused, "ask-clarification", WorkflowStatus.WAITING_FOR_CUSTOMER);
    d.clock.advance(Duration.ofHours(2));
    d.move(d.customer, paused, "reply", WorkflowStatus.IN_PROGRESS);
    Ticket done = d.fileAndStartAnHourLater();
    d.move(d.agent, done, "propose-solution", WorkflowStatus.SOLUTION_PROPOSED);
    d.move(d.customer, done, "accept", WorkflowStatus.ACCEPTED);
    Instant dueBefore = (Instant) row(started, "resolution").get("due");
    Instant pausedDueBefore = (Instant) row(paused, "resolution").get("due");
    long pausedSeconds = (Long) row(paused, "resolution").get("paused");
    assertThat(pausedSeconds).isEqualTo(Duration.ofHours(2).getSeconds());

    new TenantStore(tx).recordConfig(d.tenantId, "TST", true, "hash-2", "test-2026.2", new JsonObject()).await();
    int n = d.store.recalculateDeadlines(d.tenantId, twoDayResolution(), 1).await();
    assertThat(n).as("two open requests, batches of one").isEqualTo(2);

    Map<String, Object> now = row(started, "resolution");
    assertThat((Instant) now.get("due")).isAfter(dueBefore);
    assertThat(now.get("due")).as("Wed 10:00 + 2 working days (Thu shortened, Fri 12 June a holiday)")
        .isEqualTo(Instant.parse("2026-06-15T07:00:00Z"));
    assertThat(now.get("sla")).isEqualTo("test-2026.2");
    Map<String, Object> pausedNow = row(paused, "resolution");
    assertThat(pausedNow.get("paused")).as("pauses kept").isEqualTo(pausedSeconds);
    assertThat((Instant) pausedNow.get("due")).isAfter(pausedDueBefore).isAfter((Instant) now.get("due"));
    assertThat(row(done, "resolution").get("sla")).as("met deadlines are history").isEqualTo(TestSla.VERSION);

    List<JsonObject> events = recalculatedEvents(d.tenantId);
    assertThat(events).hasSize(2).allSatisfy(e -> {
      assertThat(e.getValue("actor")).isNull();
      assertThat(e.getBoolean("public")).isFalse();
      assertThat(e.getJsonObject("before").getString("slaVersion")).isEqualTo(TestSla.VERSION);
      assertThat(e.getJsonObject("after").getString("slaVersion")).isEqualTo("test-2026.2");
    });
    JsonObject first = events.stream().filter(e -> e.getJsonObject("after").getJsonArray("deadlines").stream()
        .anyMatch(x -> now.get("due").toString().equals(((JsonObject) x).getString("dueAt")))).findFirst().orElseThrow();
    assertThat(first.getJsonObject("before").getJsonArray("deadlines").stream()
        .anyMatch(x -> dueBefore.toString().equals(((JsonObject) x).getString("dueAt")))).isTrue();

    assertThat(d.store.recalculateDeadlines(d.tenantId, twoDayResolution(), 500).await())
        .as("a second node reacting to the same reload finds nothing left").isZero();
    assertThat(recalculatedEvents(d.tenantId)).hasSize(2);
    assertThat(SlaTimerStoreTest.timers(d.tenantId).stream()
        .filter(x -> x.kind().equals("breach") && x.firedAt() == null).map(SlaTimerStoreTest.Timer::dueAt))
        .as("the breach timer moved with the deadline").contains((Instant) now.get("due"));
  }
}
