package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.TimerAction;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.tenant.WorkflowTimer;
import dev.otklik.core.time.DeadlineCalculator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Workflow timers from tenant config: durable sla_timer rows of kind workflow, fired once. */
class WorkflowTimerStoreTest {

  static final TenantTransactions tx = TestDatabase.transactions();

  /** ЦИК-Алекон: the request form within 8 clock hours of registration, or the request is closed. */
  static final WorkflowTimer FORM_NOT_RECEIVED = new WorkflowTimer("form-not-received", ClockStart.REGISTERED,
      Optional.of(ClockStop.FORM_RECEIVED), SlaDuration.parse("8 clock-hours"), TimerAction.CLOSE_BY_TIMEOUT,
      Optional.empty());
  static final WorkflowTimer AUTO_ACCEPT = new WorkflowTimer("auto-accept", ClockStart.SOLUTION_DELIVERED,
      Optional.of(ClockStop.SOLUTION_ACCEPTED_OR_RETURNED), SlaDuration.parse("1 working-days"),
      TimerAction.AUTO_ACCEPT, Optional.empty());
  /** ИМЦ: waiting for clarification 3 working days, then the vendor may close. */
  static final WorkflowTimer NO_ANSWER = new WorkflowTimer("no-answer", ClockStart.CLARIFICATION_REQUESTED,
      Optional.of(ClockStop.CUSTOMER_REPLIED), SlaDuration.parse("3 working-days"), TimerAction.ALLOW_CLOSE,
      Optional.empty());

  static SlaClocks clocks() {
    return new SlaClocks(TestSla.policy(), new DeadlineCalculator(TestSla.calendar(), TestSla.releases()),
        List.of(FORM_NOT_RECEIVED, AUTO_ACCEPT, NO_ANSWER));
  }

  static List<String> rows(String tenantId, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  static List<String> workflowTimers(String tenantId) throws Exception {
    return rows(tenantId, "SELECT target_id || '/' || action || '/' || (fired_at IS NOT NULL) FROM sla_timer"
        + " WHERE tenant_id = ? AND kind = 'workflow' ORDER BY due_at");
  }

  /** The workflow's events: SLA alarms and the escalations they set off are left out. */
  static List<String> events(String tenantId) throws Exception {
    return rows(tenantId, "SELECT type || '/' || coalesce(actor_id::text, 'system') || '/' || coalesce(after->>'status', '')"
        + " FROM ticket_event WHERE tenant_id = ? AND type NOT LIKE 'sla-%'"
        + " AND (type <> 'escalated' OR after->>'trigger' IS NULL) ORDER BY sequence");
  }

  Ticket file(SlaDesk d) {
    return d.store.create(d.tenantId, d.customer, d.request("error", "urgent"), clocks()).await().value();
  }

  Ticket move(SlaDesk d, TicketStore.Caller who, Ticket t, String action, WorkflowStatus to) {
    return d.store.transition(d.tenantId, who, t.number(), action, current -> to, clocks()).await().value();
  }

  List<TicketStore.FiredTimer> fire(SlaDesk d, String node) {
    return d.store.fireDueTimers(d.tenantId, node, 100, clocks()).await().stream()
        .filter(f -> "workflow".equals(f.kind())).toList();
  }

  @Test
  @DisplayName("no request form within 8 clock hours: the request is closed by timeout exactly once, by the system")
  void formNotReceivedClosesTheRequestOnce() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket t = file(d);
    assertThat(workflowTimers(d.tenantId)).containsExactly("workflow:form-not-received/close-by-timeout/false");
    d.clock.advance(Duration.ofHours(8).minusSeconds(1));
    assertThat(fire(d, "node-a")).isEmpty();
    d.clock.advance(Duration.ofSeconds(1));
    List<TicketStore.FiredTimer> fired = fire(d, "node-a");
    assertThat(fired).extracting(TicketStore.FiredTimer::eventType).containsExactly("status-changed");
    assertThat(fire(d, "node-b")).isEmpty();
    d.clock.advance(Duration.ofDays(1));
    assertThat(fire(d, "node-b")).isEmpty();
    Ticket now = d.store.find(d.tenantId, d.agent, t.number()).await().orElseThrow();
    assertThat(now.status()).isEqualTo(WorkflowStatus.CLOSED_BY_TIMEOUT);
    assertThat(now.finishedAt()).isNotNull();
    assertThat(events(d.tenantId)).containsExactly("created/" + d.customer.userId() + "/new",
        "status-changed/system/closed-by-timeout");
    assertThat(workflowTimers(d.tenantId)).containsExactly("workflow:form-not-received/close-by-timeout/true");
    assertThat(TicketDeadlineStoreTest.rows(t.id()).get("triage").status())
        .as("closing stops the running clocks").isNotEqualTo("running");
  }

  @Test
  @DisplayName("the request form submitted in time cancels the timer, and the request is never closed")
  void formInTimeCancelsTheTimer() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket t = file(d);
    d.clock.advance(Duration.ofHours(2));
    d.store.submitForm(d.tenantId, d.customer, t.number(), new JsonObject().put("inn", "7701234567"), clocks())
        .await();
    assertThat(workflowTimers(d.tenantId)).isEmpty();
    d.clock.advance(Duration.ofDays(2));
    assertThat(fire(d, "node-a")).isEmpty();
    Ticket now = d.store.find(d.tenantId, d.agent, t.number()).await().orElseThrow();
    assertThat(now.status()).isEqualTo(WorkflowStatus.NEW);
    assertThat(now.form().getString("inn")).isEqualTo("7701234567");
    assertThat(events(d.tenantId)).containsExactly("created/" + d.customer.userId() + "/new",
        "form-received/" + d.customer.userId() + "/");
  }

  @Test
  @DisplayName("a request filed with its form already filled in never arms the form timer")
  void formAtRegistrationDisarmsTheTimer() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    TicketStore.NewTicket withForm = new TicketStore.NewTicket("IMC", TestSla.MOSCOW, "portal", null, "error",
        "urgent", null, null, "Ошибка", "Отчёт падает", new JsonObject().put("inn", "7701234567"), d.org.id(),
        d.customer.userId(), null, null, null);
    Ticket t = d.store.create(d.tenantId, d.customer, withForm, clocks()).await().value();
    assertThat(workflowTimers(d.tenantId)).isEmpty();
    d.clock.advance(Duration.ofDays(1));
    assertThat(fire(d, "node-a")).isEmpty();
    assertThat(d.store.find(d.tenantId, d.agent, t.number()).await().orElseThrow().status())
        .isEqualTo(WorkflowStatus.NEW);
  }

  @Test
  @DisplayName("two nodes firing the same due workflow timers concurrently close each request once")
  void concurrentClaimersCloseOnce() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    for (int i = 0; i < 6; i++) {
      file(d);
    }
    d.clock.advance(Duration.ofHours(9));
    List<Future<List<TicketStore.FiredTimer>>> claimers = new ArrayList<>();
    for (String node : List.of("node-a", "node-b", "node-a")) {
      claimers.add(d.store.fireDueTimers(d.tenantId, node, 100, clocks()));
    }
    Future.all(claimers).await();
    List<String> closed = rows(d.tenantId, "SELECT ticket_id::text FROM ticket_event WHERE tenant_id = ?"
        + " AND type = 'status-changed' AND after->>'status' = 'closed-by-timeout'");
    assertThat(closed).hasSize(6).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("a proposed solution not answered within 1 working day is accepted by the system")
  void autoAcceptAcceptsTheProposal() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket t = file(d);
    d.store.submitForm(d.tenantId, d.agent, t.number(), new JsonObject(), clocks()).await();
    d.clock.advance(Duration.ofHours(1));
    move(d, d.agent, t, "start", WorkflowStatus.IN_PROGRESS);
    move(d, d.agent, t, "propose-solution", WorkflowStatus.SOLUTION_PROPOSED);
    d.clock.advance(Duration.ofDays(7));
    assertThat(fire(d, "node-a")).hasSize(1);
    assertThat(d.store.find(d.tenantId, d.agent, t.number()).await().orElseThrow().status())
        .isEqualTo(WorkflowStatus.ACCEPTED);
    assertThat(events(d.tenantId)).last().isEqualTo("status-changed/system/accepted");
  }

  @Test
  @DisplayName("3 working days waiting for clarification records that the vendor may now close; a reply cancels it")
  void allowCloseAfterClarificationWait() throws Exception {
    SlaDesk d = new SlaDesk(tx);
    Ticket t = file(d);
    Ticket u = file(d);
    d.store.submitForm(d.tenantId, d.agent, t.number(), new JsonObject(), clocks()).await();
    d.store.submitForm(d.tenantId, d.agent, u.number(), new JsonObject(), clocks()).await();
    move(d, d.agent, t, "ask-clarification", WorkflowStatus.WAITING_FOR_CUSTOMER);
    move(d, d.agent, u, "ask-clarification", WorkflowStatus.WAITING_FOR_CUSTOMER);
    d.clock.advance(Duration.ofHours(1));
    move(d, d.customer, u, "reply", WorkflowStatus.IN_PROGRESS);
    d.clock.advance(Duration.ofDays(2));
    assertThat(fire(d, "node-a")).as("Wed 09:00 + 3 working days, 12 June a holiday: Tue 16 June").isEmpty();
    d.clock.advance(Duration.ofDays(4));
    List<TicketStore.FiredTimer> fired = fire(d, "node-a");
    assertThat(fired).extracting(TicketStore.FiredTimer::number, TicketStore.FiredTimer::eventType)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(t.number(), "close-allowed"));
    move(d, d.agent, t, "close", WorkflowStatus.CLOSED);
  }
}
