package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.WorkflowStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SLA deadlines written by TicketStore in the transaction of each change, read back from PostgreSQL. */
class TicketDeadlineStoreTest {

  static final TenantTransactions tx = TestDatabase.transactions();

  record Row(String status, Instant startedAt, Instant pausedAt, long pausedSeconds, Instant dueAt, Instant warnAt,
      String slaVersion, String cellId, String duration, String[] explanation) {}

  static Map<String, Row> rows(UUID ticketId) throws Exception {
    Map<String, Row> out = new HashMap<>();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT * FROM ticket_deadline WHERE ticket_id = ?")) {
      ps.setObject(1, ticketId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString("target_id"), new Row(rs.getString("status"), instant(rs, "started_at"),
              instant(rs, "paused_at"), rs.getLong("paused_seconds"), instant(rs, "due_at"), instant(rs, "warn_at"),
              rs.getString("sla_version"), rs.getString("cell_id"), rs.getString("duration"),
              (String[]) rs.getArray("explanation").getArray()));
        }
      }
    }
    return out;
  }

  static Instant instant(ResultSet rs, String column) throws Exception {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  @Test
  @DisplayName("ИМЦ error/urgent: triage is due 1 working day after registration and the solution 1 working day after triage ends, with the SLA version, cell and explanation on the rows")
  void errorUrgentDeadlinesLandInPostgres() throws Exception {
    // Wed 10 June 2026 09:00 Moscow; Thu 11 June is shortened (to 17:00), Fri 12 June a holiday.
    SlaDesk d = new SlaDesk(tx);
    Ticket t = d.file();
    Map<String, Row> rows = rows(t.id());
    assertThat(rows.keySet()).containsExactlyInAnyOrder("triage", "clarification-answer", "resolution",
        "customer-acceptance", "remarks-fix");
    assertThat(rows.get("triage").status()).isEqualTo("running");
    assertThat(rows.get("triage").dueAt()).isEqualTo(Instant.parse("2026-06-11T06:00:00Z")); // Thu 09:00 MSK
    assertThat(rows.get("resolution").status()).isEqualTo("pending");
    assertThat(rows.values()).allSatisfy(r -> assertThat(r.slaVersion()).isEqualTo(TestSla.VERSION));

    d.clock.advance(Duration.ofHours(1)); // Wed 10:00 MSK: triage ends
    d.move(d.agent, t, "start", WorkflowStatus.IN_PROGRESS);
    rows = rows(t.id());
    assertThat(rows.get("triage").status()).isEqualTo("met");
    Row resolution = rows.get("resolution");
    assertThat(resolution.status()).isEqualTo("running");
    assertThat(resolution.cellId()).isEqualTo("error-urgent");
    assertThat(resolution.startedAt()).isEqualTo(Instant.parse("2026-06-10T07:00:00Z"));
    assertThat(resolution.dueAt()).isEqualTo(Instant.parse("2026-06-11T07:00:00Z")); // Thu 10:00 MSK
    // 4 working hours before Thu 10:00: Thu 09:00-10:00 and Wed 15:00-18:00
    assertThat(resolution.warnAt()).isEqualTo(Instant.parse("2026-06-10T12:00:00Z"));
    assertThat(resolution.explanation()).isNotEmpty();
    assertThat(String.join("\n", resolution.explanation())).contains("1 working-days");
  }

  @Test
  @DisplayName("waiting for the customer pauses the vendor's clock; on the reply its due moves later by exactly the business time waited (shortened day and holiday included)")
  void pauseAndResumeMoveDueByWaitedBusinessTime() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    TestClock clock = d.clock;
    Ticket t = d.fileAndStartAnHourLater();
    Instant dueBefore = rows(t.id()).get("resolution").dueAt();

    clock.advance(Duration.ofHours(2)); // Wed 12:00 MSK
    Instant pausedAt = clock.instant();
    d.move(d.agent, t, "ask-clarification", WorkflowStatus.WAITING_FOR_CUSTOMER);
    Map<String, Row> rows = rows(t.id());
    assertThat(rows.get("resolution").status()).isEqualTo("paused");
    assertThat(rows.get("resolution").pausedAt()).isEqualTo(pausedAt);
    assertThat(rows.get("clarification-answer").status()).isEqualTo("running");
    assertThat(rows.get("triage").status()).isEqualTo("met");

    clock.advance(Duration.between(pausedAt, Instant.parse("2026-06-15T08:00:00Z"))); // Mon 11:00 MSK
    Instant resumedAt = clock.instant();
    d.move(d.customer, t, "reply", WorkflowStatus.IN_PROGRESS);
    rows = rows(t.id());
    Row resolution = rows.get("resolution");
    Duration waited = TestSla.calendar().workingTimeBetween(pausedAt, resumedAt);
    // Wed 12-18 (6 h) + Thu 9-17 (8 h, shortened) + Fri holiday + Mon 9-11 (2 h)
    assertThat(waited).isEqualTo(Duration.ofHours(16));
    assertThat(resolution.status()).isEqualTo("running");
    assertThat(resolution.pausedAt()).isNull();
    assertThat(resolution.pausedSeconds()).isEqualTo(waited.getSeconds());
    assertThat(TestSla.calendar().workingTimeBetween(dueBefore, resolution.dueAt())).isEqualTo(waited);
    // Thu 10-17 (7 h) + Mon 9-18 (9 h): Mon 18:00 MSK
    assertThat(resolution.dueAt()).isEqualTo(Instant.parse("2026-06-15T15:00:00Z"));
    assertThat(rows.get("clarification-answer").status()).isEqualTo("met");
    assertThat(rows.get("customer-acceptance").status()).as("customer clocks never pause").isEqualTo("pending");

    clock.advance(Duration.ofHours(1));
    d.move(d.agent, t, "propose-solution", WorkflowStatus.SOLUTION_PROPOSED);
    rows = rows(t.id());
    assertThat(rows.get("resolution").status()).isEqualTo("met");
    assertThat(rows.get("customer-acceptance").status()).isEqualTo("running");
  }

  @Test
  @DisplayName("changing the priority re-targets: the open resolution clock is recomputed for the new cell from its original start, dropped targets go, and the event records before and after")
  void priorityChangeRetargets() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket t = d.fileAndStartAnHourLater();
    d.clock.advance(Duration.ofHours(3));
    d.store.updateTriage(d.tenantId, d.agent, t.number(), t.version(),
        f -> new TicketStore.TriageFields(f.category(), "normal", f.severity(), f.assigneeId(), f.plannedDate()),
        TestSla.clocks())
        .await();
    Map<String, Row> rows = rows(t.id());
    assertThat(rows.keySet()).containsExactlyInAnyOrder("triage", "clarification-answer", "resolution");
    Row resolution = rows.get("resolution");
    assertThat(resolution.cellId()).isEqualTo("error-normal");
    assertThat(resolution.duration()).isEqualTo("next-planned-release");
    assertThat(resolution.startedAt()).as("from its original start").isEqualTo(Instant.parse("2026-06-10T07:00:00Z"));
    assertThat(resolution.dueAt()).isEqualTo(Instant.parse("2026-12-15T15:00:00Z")); // release day, 18:00 MSK
    assertThat(rows.get("triage").status()).isEqualTo("met");

    JsonObject event = lastEvent(d.tenantId, t.id());
    assertThat(event.getJsonObject("before").getString("priority")).isEqualTo("urgent");
    JsonArray before = event.getJsonObject("before").getJsonArray("deadlines");
    JsonArray after = event.getJsonObject("after").getJsonArray("deadlines");
    assertThat(before.stream().map(o -> ((JsonObject) o).getString("target")))
        .contains("customer-acceptance", "remarks-fix");
    assertThat(find(before, "resolution").getString("dueAt")).isEqualTo("2026-06-11T07:00:00Z");
    assertThat(find(after, "resolution").getString("dueAt")).isEqualTo("2026-12-15T15:00:00Z");

    t = d.store.find(d.tenantId, d.agent, t.number()).await().orElseThrow();
    d.clock.advance(Duration.ofHours(1));
    d.move(d.agent, t, "close", WorkflowStatus.CLOSED);
    assertThat(rows(t.id()).get("resolution").status()).as("closing stops every running clock").isEqualTo("met");
  }

  @Test
  @DisplayName("a request of a tenant without SLA clocks (none given) gets no deadline rows; the ticket change still commits")
  void noSlaNoRows() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket t = d.store.create(d.tenantId, d.customer, d.request("error", "urgent")).await().value();
    assertThat(rows(t.id())).isEmpty();
    assertThat(d.store.findWithDeadlines(d.tenantId, d.agent, t.number()).await().orElseThrow().deadlines())
        .isEmpty();
  }

  @Test
  @DisplayName("a page of requests comes with each request's own deadline rows, read in the list's transaction; a request without SLA clocks has none")
  void listCarriesEachRequestsDeadlines() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket first = d.file();
    Ticket second = d.file();
    Ticket noSla = d.store.create(d.tenantId, d.customer, d.request("error", "urgent")).await().value();
    d.clock.advance(Duration.ofHours(1));
    d.move(d.agent, first, "start", WorkflowStatus.IN_PROGRESS);

    Page<TicketStore.TicketWithDeadlines> page = d.store.list(d.tenantId, d.agent,
        new TicketStore.TicketFilter(List.of(), List.of(), null, null, null, null, null, List.of(), null),
        new ListQuery(0, 10, null, null)).await();

    assertThat(page.total()).isEqualTo(3);
    Map<UUID, Map<String, String>> statusByTarget = new HashMap<>();
    page.items().forEach(item -> statusByTarget.put(item.ticket().id(), item.deadlines().stream().collect(
        Collectors.toMap(dl -> dl.clock().targetId(), dl -> ConfigId.of(dl.clock().status())))));
    for (Ticket t : List.of(first, second)) {
      Map<String, String> expected = new HashMap<>();
      rows(t.id()).forEach((target, row) -> expected.put(target, row.status()));
      assertThat(statusByTarget.get(t.id())).as(t.number()).isEqualTo(expected);
    }
    assertThat(statusByTarget.get(first.id())).containsEntry("triage", "met").containsEntry("resolution", "running");
    assertThat(statusByTarget.get(second.id())).containsEntry("triage", "running");
    assertThat(statusByTarget.get(noSla.id())).isEmpty();
  }

  static JsonObject find(JsonArray deadlines, String target) {
    return deadlines.stream().map(o -> (JsonObject) o).filter(o -> target.equals(o.getString("target")))
        .findFirst().orElseThrow();
  }

  static JsonObject lastEvent(String tenantId, UUID ticketId) throws Exception {
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT before::text, after::text FROM ticket_event"
            + " WHERE tenant_id = ? AND ticket_id = ? ORDER BY sequence DESC LIMIT 1")) {
      ps.setString(1, tenantId);
      ps.setObject(2, ticketId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new JsonObject().put("before", new JsonObject(rs.getString(1))).put("after",
            new JsonObject(rs.getString(2)));
      }
    }
  }
}
