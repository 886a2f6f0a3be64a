package dev.otklik.core.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.WorkflowStatus;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TicketWorkflowTest {

  static final TicketWorkflow.Context OWN = new TicketWorkflow.Context(true, false, false, true);
  static final TicketWorkflow.Context NOT_OWN_NO_CLOSE = new TicketWorkflow.Context(false, false, false, false);

  static String codeOf(Runnable r) {
    try {
      r.run();
      return null;
    } catch (OtklikException e) {
      return e.status() + " " + e.code();
    }
  }

  @Test
  @DisplayName("an agent's proposal goes to the customer, who accepts it; the agent then closes the request")
  void proposeAcceptClose() {
    WorkflowStatus s = TicketWorkflow.next(WorkflowStatus.NEW, TicketAction.TRIAGE, Role.AGENT, OWN);
    s = TicketWorkflow.next(s, TicketAction.START, Role.AGENT, OWN);
    s = TicketWorkflow.next(s, TicketAction.PROPOSE_SOLUTION, Role.AGENT, OWN);
    assertThat(s).isEqualTo(WorkflowStatus.SOLUTION_PROPOSED);
    s = TicketWorkflow.next(s, TicketAction.ACCEPT, Role.CUSTOMER, OWN);
    assertThat(s).isEqualTo(WorkflowStatus.ACCEPTED);
    assertThat(TicketWorkflow.next(s, TicketAction.CLOSE, Role.AGENT, OWN)).isEqualTo(WorkflowStatus.CLOSED);
  }

  @Test
  @DisplayName("a customer returns a proposal for rework, and a question leaves waiting-for-customer on the customer's reply")
  void returnAndReply() {
    assertThat(TicketWorkflow.next(WorkflowStatus.SOLUTION_PROPOSED, TicketAction.RETURN, Role.CUSTOMER, OWN))
        .isEqualTo(WorkflowStatus.RETURNED_FOR_REWORK);
    WorkflowStatus waiting = TicketWorkflow.next(WorkflowStatus.IN_PROGRESS, TicketAction.ASK_CLARIFICATION,
        Role.COORDINATOR, OWN);
    assertThat(waiting).isEqualTo(WorkflowStatus.WAITING_FOR_CUSTOMER);
    assertThat(TicketWorkflow.next(waiting, TicketAction.REPLY, Role.CUSTOMER, OWN)).isEqualTo(WorkflowStatus.IN_PROGRESS);
  }

  @ParameterizedTest
  @EnumSource(value = TicketAction.class, names = {"TRIAGE", "START", "ASK_CLARIFICATION", "PROPOSE_SOLUTION"})
  @DisplayName("a customer can never take a vendor action (403), whatever the status")
  void customerCannotTakeVendorActions(TicketAction action) {
    for (WorkflowStatus from : WorkflowStatus.values()) {
      assertThat(codeOf(() -> TicketWorkflow.next(from, action, Role.CUSTOMER, OWN)))
          .isEqualTo("403 ticket.action-forbidden");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TicketAction.class, names = {"ACCEPT", "RETURN", "REPLY", "REOPEN"})
  @DisplayName("staff cannot answer for the customer (403)")
  void staffCannotTakeCustomerActions(TicketAction action) {
    assertThat(codeOf(() -> TicketWorkflow.next(WorkflowStatus.SOLUTION_PROPOSED, action, Role.TENANT_ADMIN, OWN)))
        .isEqualTo("403 ticket.action-forbidden");
  }

  @Test
  @DisplayName("a customer cancels only their own request and only while it is new")
  void customerCancelRules() {
    assertThat(TicketWorkflow.next(WorkflowStatus.NEW, TicketAction.CANCEL, Role.CUSTOMER, OWN))
        .isEqualTo(WorkflowStatus.CANCELLED);
    assertThat(codeOf(() -> TicketWorkflow.next(WorkflowStatus.TRIAGE, TicketAction.CANCEL, Role.CUSTOMER, OWN)))
        .isEqualTo("409 ticket.transition-invalid");
    assertThat(codeOf(() -> TicketWorkflow.next(WorkflowStatus.NEW, TicketAction.CANCEL, Role.CUSTOMER, NOT_OWN_NO_CLOSE)))
        .isEqualTo("403 ticket.action-forbidden");
  }

  @Test
  @DisplayName("customers close only where the tenant allows it; finished requests reopen only inside the window")
  void closeAndReopenFollowTenantSwitches() {
    assertThat(codeOf(() -> TicketWorkflow.next(WorkflowStatus.ACCEPTED, TicketAction.CLOSE, Role.CUSTOMER, NOT_OWN_NO_CLOSE)))
        .isEqualTo("403 ticket.action-forbidden");
    assertThat(TicketWorkflow.next(WorkflowStatus.ACCEPTED, TicketAction.CLOSE, Role.CUSTOMER, OWN))
        .isEqualTo(WorkflowStatus.CLOSED);
    assertThat(codeOf(() -> TicketWorkflow.next(WorkflowStatus.CLOSED, TicketAction.REOPEN, Role.CUSTOMER, OWN)))
        .isEqualTo("403 ticket.action-forbidden");
    var open = new TicketWorkflow.Context(true, true, true, true);
    var expired = new TicketWorkflow.Context(true, true, false, true);
    assertThat(TicketWorkflow.next(WorkflowStatus.CLOSED, TicketAction.REOPEN, Role.CUSTOMER, open))
        .isEqualTo(WorkflowStatus.RETURNED_FOR_REWORK);
    assertThat(codeOf(() -> TicketWorkflow.next(WorkflowStatus.CLOSED, TicketAction.REOPEN, Role.CUSTOMER, expired)))
        .isEqualTo("409 ticket.reopen-expired");
    assertThat(codeOf(() -> TicketWorkflow.next(WorkflowStatus.CANCELLED, TicketAction.CLOSE, Role.AGENT, OWN)))
        .isEqualTo("409 ticket.transition-invalid");
  }

  @Test
  @DisplayName("only coordinators and tenant admins assign")
  void assignment() {
    assertThat(TicketWorkflow.mayAssign(Role.COORDINATOR)).isTrue();
    assertThat(TicketWorkflow.mayAssign(Role.TENANT_ADMIN)).isTrue();
    assertThat(TicketWorkflow.mayAssign(Role.AGENT)).isFalse();
    assertThat(TicketWorkflow.mayAssign(Role.CUSTOMER)).isFalse();
  }

  @Test
  @DisplayName("working days count Monday to Friday and end at the end of the last day; clock hours are exact")
  void roughDeadlines() {
    ZoneId moscow = ZoneId.of("Europe/Moscow");
    Instant friday = Instant.parse("2026-03-13T09:00:00Z");
    assertThat(DayArithmetic.latest(friday, SlaDuration.parse("3 working-days"), moscow))
        .contains(Instant.parse("2026-03-18T20:59:59.999999999Z"));
    assertThat(DayArithmetic.latest(friday, SlaDuration.parse("8 clock-hours"), moscow))
        .contains(Instant.parse("2026-03-13T17:00:00Z"));
    assertThat(DayArithmetic.latest(friday, SlaDuration.parse("4 working-hours"), moscow)).isEmpty();
    assertThatThrownBy(() -> SlaDuration.parse("soon")).isInstanceOf(IllegalArgumentException.class);
  }
}
