package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.tenant.Escalation;
import dev.otklik.core.tenant.SlaPolicy;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.time.DeadlineCalculator;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Durable SLA timers: written with the deadlines, fired once across concurrent claimers. */
class SlaTimerStoreTest {

  static final TenantTransactions tx = TestDatabase.transactions();

  record Timer(String target, String kind, Instant dueAt, Instant firedAt, String claimedBy) {}

  static List<Timer> timers(String tenantId) throws Exception {
    List<Timer> out = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT * FROM sla_timer WHERE tenant_id = ? ORDER BY due_at, kind DESC")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OffsetDateTime fired = rs.getObject("fired_at", OffsetDateTime.class);
          out.add(new Timer(rs.getString("target_id"), rs.getString("kind"),
              rs.getObject("due_at", OffsetDateTime.class).toInstant(), fired == null ? null : fired.toInstant(),
              rs.getString("claimed_by")));
        }
      }
    }
    return out;
  }

  static List<String> events(String tenantId, String type) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT ticket_id::text || '/' || (after->>'target') || '/' || public"
            + " FROM ticket_event WHERE tenant_id = ? AND type = ? ORDER BY sequence")) {
      ps.setString(1, tenantId);
      ps.setString(2, type);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  @Test
  @DisplayName("a running deadline has a warning timer at warn_at and a breach timer at due_at; pausing or meeting it drops its unfired timers")
  void timersFollowTheDeadlines() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket t = d.file();
    assertThat(timers(d.tenantId)).containsExactly(
        new Timer("triage", "breach", Instant.parse("2026-06-11T06:00:00Z"), null, null));
    d.clock.advance(Duration.ofHours(1));
    d.move(d.agent, t, "start", WorkflowStatus.IN_PROGRESS);
    assertThat(timers(d.tenantId)).containsExactly(
        new Timer("resolution", "warning", Instant.parse("2026-06-10T12:00:00Z"), null, null),
        new Timer("resolution", "breach", Instant.parse("2026-06-11T07:00:00Z"), null, null));
    d.clock.advance(Duration.ofHours(1));
    d.move(d.agent, t, "ask-clarification", WorkflowStatus.WAITING_FOR_CUSTOMER);
    assertThat(timers(d.tenantId)).extracting(Timer::target, Timer::kind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("clarification-answer", "breach"));
  }

  @Test
  @DisplayName("timers that fell due while nothing ran all fire on the first round, warning before breach, and mark the deadline breached")
  void overdueTimersFireOnTheFirstRound() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket t = d.fileAndStartAnHourLater();
    d.clock.advance(Duration.ofDays(3));
    List<TicketStore.FiredTimer> fired = d.store.fireDueTimers(d.tenantId, "node-a", 100).await();
    assertThat(fired).extracting(TicketStore.FiredTimer::eventType).containsExactly("sla-warning", "sla-breached");
    assertThat(fired).allSatisfy(f -> assertThat(f.isPublic()).as("vendor alarms are internal").isFalse());
    assertThat(timers(d.tenantId)).allSatisfy(x -> {
      assertThat(x.firedAt()).isEqualTo(d.clock.instant());
      assertThat(x.claimedBy()).isEqualTo("node-a");
    });
    assertThat(TicketDeadlineStoreTest.rows(t.id()).get("resolution").status()).isEqualTo("breached");
    assertThat(d.store.fireDueTimers(d.tenantId, "node-a", 100).await()).isEmpty();
    // A breached clock stays breached when the solution finally comes.
    d.move(d.agent, t, "propose-solution", WorkflowStatus.SOLUTION_PROPOSED);
    assertThat(TicketDeadlineStoreTest.rows(t.id()).get("resolution").status()).isEqualTo("breached");
  }

  @Test
  @DisplayName("two claimers firing the same tenant's due timers concurrently: every timer fires exactly once, with one event each")
  void concurrentClaimersFireEachTimerOnce() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    List<UUID> tickets = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      tickets.add(d.file().id());
    }
    d.clock.advance(Duration.ofDays(2));
    List<Future<Integer>> claimers = new ArrayList<>();
    for (String node : List.of("node-a", "node-b")) {
      claimers.add(drain(d.store, d.tenantId, node, 0));
    }
    Future.all(claimers).await();
    int total = claimers.stream().mapToInt(f -> f.result()).sum();
    assertThat(total).isEqualTo(12);
    List<Timer> all = timers(d.tenantId);
    assertThat(all).hasSize(12).allSatisfy(x -> {
      assertThat(x.firedAt()).isNotNull();
      assertThat(x.claimedBy()).isIn("node-a", "node-b");
    });
    List<String> breached = events(d.tenantId, "sla-breached");
    assertThat(breached).hasSize(12).doesNotHaveDuplicates();
    assertThat(breached.stream().map(e -> UUID.fromString(e.substring(0, 36))).toList())
        .containsExactlyInAnyOrderElementsOf(tickets);
  }

  @Test
  @DisplayName("ИМЦ's rule: the customer lets the 3-working-day clarification answer lapse; its public breach releases the paused vendor deadline, which never breaches, even after a late reply")
  void customerDelayReleasesTheVendorDeadline() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket t = d.fileAndStartAnHourLater(); // Wed 10:00: the resolution clock runs
    d.clock.advance(Duration.ofHours(2));
    t = d.move(d.agent, t, "ask-clarification", WorkflowStatus.WAITING_FOR_CUSTOMER);
    assertThat(TicketDeadlineStoreTest.rows(t.id()).get("resolution").status()).isEqualTo("paused");

    d.clock.advance(Duration.ofDays(7)); // the answer was due Mon 15 June 12:00
    d.store.fireDueTimers(d.tenantId, "node-a", 50, TestSla.clocks()).await();
    var rows = TicketDeadlineStoreTest.rows(t.id());
    assertThat(rows.get("clarification-answer").status()).isEqualTo("breached");
    assertThat(rows.get("resolution").status()).isEqualTo("released");
    assertThat(rows.get("resolution").explanation()).anyMatch(line -> line.startsWith("released ")
        && line.contains("clarification-answer"));
    assertThat(events(d.tenantId, "sla-breached")).containsExactly(t.id() + "/clarification-answer/true");
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT public, after->'released' FROM ticket_event"
            + " WHERE tenant_id = ? AND type = 'sla-released'")) {
      ps.setString(1, d.tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).as("the customer sees the release in the history").isTrue();
        assertThat(rs.getString(2)).isEqualTo("[\"resolution\"]");
        assertThat(rs.next()).isFalse();
      }
    }
    assertThat(timers(d.tenantId)).filteredOn(x -> x.target().equals("resolution") && x.firedAt() == null).isEmpty();

    t = d.move(d.customer, t, "reply", WorkflowStatus.IN_PROGRESS);
    d.clock.advance(Duration.ofDays(7));
    d.store.fireDueTimers(d.tenantId, "node-a", 50, TestSla.clocks()).await();
    assertThat(TicketDeadlineStoreTest.rows(t.id()).get("resolution").status()).isEqualTo("released");
    assertThat(events(d.tenantId, "sla-breached")).containsExactly(t.id() + "/clarification-answer/true");
  }

  @Test
  @DisplayName("escalation with bump-priority: a missed triage raises a normal request to urgent and records an internal escalated event for the coordinator; the deadlines keep their cell; at the top the priority stays")
  void breachEscalatesAndBumpsThePriority() throws Exception {
    SlaPolicy p = TestSla.policy();
    SlaPolicy escalating = new SlaPolicy(p.policy(), p.version(), p.statement(), p.pauseVendorClocksWhile(),
        p.customerDelayReleasesVendor(), p.commonTargets(), p.cells(),
        new Escalation(Set.of("breach"), List.of("coordinator"), true));
    SlaClocks clocks = new SlaClocks(escalating, new DeadlineCalculator(TestSla.calendar(), TestSla.releases()),
        List.of(), List.of("urgent", "normal", "low"));
    SlaDesk d = new SlaDesk(tx);
    Ticket normal = d.store.create(d.tenantId, d.customer, d.request("error", "normal"), clocks).await().value();
    Ticket urgent = d.store.create(d.tenantId, d.customer, d.request("error", "urgent"), clocks).await().value();
    d.clock.advance(Duration.ofDays(2));

    List<TicketStore.FiredTimer> fired = d.store.fireDueTimers(d.tenantId, "node-a", 50, clocks).await();
    assertThat(fired).extracting(TicketStore.FiredTimer::eventType).containsOnly("escalated");
    assertThat(d.store.find(d.tenantId, d.agent, normal.number()).await().orElseThrow().priority()).isEqualTo("urgent");
    assertThat(d.store.find(d.tenantId, d.agent, urgent.number()).await().orElseThrow().priority()).isEqualTo("urgent");
    assertThat(TicketDeadlineStoreTest.rows(normal.id()).get("resolution").cellId()).isEqualTo("error-normal");
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT ticket_id, public, before->>'priority', after->>'priority',"
            + " after->'notify'->>0, after->>'trigger' FROM ticket_event WHERE tenant_id = ? AND type = 'escalated'")) {
      ps.setString(1, d.tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add((rs.getObject(1, UUID.class).equals(normal.id()) ? "normal-request" : "urgent-request") + " "
              + rs.getBoolean(2) + " " + rs.getString(3) + "->" + rs.getString(4) + " " + rs.getString(5) + " "
              + rs.getString(6));
        }
        assertThat(rows).containsExactlyInAnyOrder("normal-request false normal->urgent coordinator breach",
            "urgent-request false urgent->urgent coordinator breach");
      }
    }
  }

  @Test
  @DisplayName("a callback promise not kept by its time escalates once; one recorded in time disarms the alarm")
  void callbackPromiseAlarm() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    OffsetDateTime due = d.clock.instant().plus(Duration.ofHours(3)).atOffset(java.time.ZoneOffset.UTC);
    Ticket forgotten = d.store.create(d.tenantId, d.agent, withCallback(d, due), TestSla.clocks()).await().value();
    Ticket kept = d.store.create(d.tenantId, d.agent, withCallback(d, due), TestSla.clocks()).await().value();
    d.clock.advance(Duration.ofHours(1));
    d.store.recordCallback(d.tenantId, d.agent, kept.number(), "перезвонили", TestSla.clocks()).await();
    d.clock.advance(Duration.ofHours(3));
    d.store.fireDueTimers(d.tenantId, "node-a", 50, TestSla.clocks()).await();
    d.store.fireDueTimers(d.tenantId, "node-a", 50, TestSla.clocks()).await();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT ticket_id, after->>'timer' FROM ticket_event"
            + " WHERE tenant_id = ? AND type = 'escalated'")) {
      ps.setString(1, d.tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getObject(1, UUID.class)).isEqualTo(forgotten.id());
        assertThat(rs.getString(2)).isEqualTo("callback-promise");
        assertThat(rs.next()).as("one escalation, only for the forgotten promise").isFalse();
      }
    }
  }

  static TicketStore.NewTicket withCallback(SlaDesk d, OffsetDateTime due) {
    TicketStore.NewTicket r = d.request("support", "normal");
    return new TicketStore.NewTicket(r.numberPrefix(), r.zone(), "phone", r.kind(), r.category(), r.priority(),
        r.severity(), r.service(), r.subject(), r.description(), r.form(), r.organisationId(), r.requesterId(),
        r.assigneeId(), r.plannedDate(), due);
  }

  /** Fires rounds of 2 until a round finds nothing; returns how many this claimer fired. */
  static Future<Integer> drain(TicketStore store, String tenantId, String node, int sofar) {
    return store.fireDueTimers(tenantId, node, 2).compose(fired -> fired.isEmpty()
        ? Future.succeededFuture(sofar) : drain(store, tenantId, node, sofar + fired.size()));
  }
}
