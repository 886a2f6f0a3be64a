package dev.otklik.core.ticket;

import static dev.otklik.core.tenant.WorkflowStatus.ACCEPTED;
import static dev.otklik.core.tenant.WorkflowStatus.CANCELLED;
import static dev.otklik.core.tenant.WorkflowStatus.CLOSED;
import static dev.otklik.core.tenant.WorkflowStatus.CLOSED_BY_TIMEOUT;
import static dev.otklik.core.tenant.WorkflowStatus.IN_PROGRESS;
import static dev.otklik.core.tenant.WorkflowStatus.NEW;
import static dev.otklik.core.tenant.WorkflowStatus.RETURNED_FOR_REWORK;
import static dev.otklik.core.tenant.WorkflowStatus.SOLUTION_PROPOSED;
import static dev.otklik.core.tenant.WorkflowStatus.TRIAGE;
import static dev.otklik.core.tenant.WorkflowStatus.WAITING_FOR_CUSTOMER;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.WorkflowStatus;
import java.util.EnumSet;
import java.util.Set;

/**
 * The platform's request state machine: which action leads from which status to which, and who
 * may take it. Tenants relabel the states and switch two customer rights (closing, reopening)
 * through their workflow section; the graph itself is fixed.
 *
 * <p>Refusals: 403 {@code ticket.action-forbidden} when the caller's role may never take the
 * action on this request, 409 {@code ticket.transition-invalid} when the role may but not from
 * the current status, 409 {@code ticket.reopen-expired} after the reopen window.
 */
public final class TicketWorkflow {

  /** Statuses in which work is still owed by someone. */
  public static final Set<WorkflowStatus> OPEN = Set.copyOf(EnumSet.of(
      NEW, TRIAGE, IN_PROGRESS, WAITING_FOR_CUSTOMER, SOLUTION_PROPOSED, RETURNED_FOR_REWORK));

  /** Statuses nothing leaves except a reopen. */
  public static final Set<WorkflowStatus> FINISHED = Set.copyOf(EnumSet.of(CLOSED, CANCELLED, CLOSED_BY_TIMEOUT));

  /**
   * The tenant's switches and the facts about the caller the graph needs.
   *
   * @param customerMayClose the tenant's {@code workflow.customer-may-close}
   * @param reopenConfigured the tenant has {@code workflow.reopen-within}
   * @param reopenWindowOpen the request was finished no longer ago than that window
   * @param callerIsRequester the caller filed the request (or it was filed for them)
   */
  public record Context(boolean customerMayClose, boolean reopenConfigured, boolean reopenWindowOpen,
      boolean callerIsRequester) {}

  private TicketWorkflow() {}

  /** True for vendor staff: agent, coordinator, tenant admin. */
  public static boolean isStaff(Role role) {
    return role != Role.CUSTOMER;
  }

  /** Assigning a request to an agent is a coordinator's (or tenant admin's) call. */
  public static boolean mayAssign(Role role) {
    return role == Role.COORDINATOR || role == Role.TENANT_ADMIN;
  }

  /** The status {@code action} leads to from {@code from}, or an {@link OtklikException} saying why not. */
  public static WorkflowStatus next(WorkflowStatus from, TicketAction action, Role role, Context context) {
    boolean staff = isStaff(role);
    return switch (action) {
      case TRIAGE -> staffOnly(staff, action, from, EnumSet.of(NEW), TRIAGE);
      case START -> staffOnly(staff, action, from,
          EnumSet.of(NEW, TRIAGE, WAITING_FOR_CUSTOMER, RETURNED_FOR_REWORK), IN_PROGRESS);
      case ASK_CLARIFICATION -> staffOnly(staff, action, from,
          EnumSet.of(NEW, TRIAGE, IN_PROGRESS, RETURNED_FOR_REWORK), WAITING_FOR_CUSTOMER);
      case PROPOSE_SOLUTION -> staffOnly(staff, action, from,
          EnumSet.of(TRIAGE, IN_PROGRESS, WAITING_FOR_CUSTOMER, RETURNED_FOR_REWORK), SOLUTION_PROPOSED);
      case REPLY -> customerOnly(staff, action, from, EnumSet.of(WAITING_FOR_CUSTOMER), IN_PROGRESS);
      // The customer who receives a proposal answers it; staff cannot accept on their behalf.
      case ACCEPT -> customerOnly(staff, action, from, EnumSet.of(SOLUTION_PROPOSED), ACCEPTED);
      case RETURN -> customerOnly(staff, action, from, EnumSet.of(SOLUTION_PROPOSED), RETURNED_FOR_REWORK);
      case CLOSE -> {
        if (!staff && !context.customerMayClose()) {
          throw forbidden(action);
        }
        yield from(action, from, with(OPEN, ACCEPTED), CLOSED);
      }
      case CANCEL -> {
        if (!staff && !context.callerIsRequester()) {
          throw forbidden(action);
        }
        yield from(action, from, staff ? OPEN : EnumSet.of(NEW), CANCELLED);
      }
      case REOPEN -> {
        if (staff || !context.reopenConfigured()) {
          throw forbidden(action);
        }
        WorkflowStatus to = from(action, from, EnumSet.of(CLOSED, CLOSED_BY_TIMEOUT), RETURNED_FOR_REWORK);
        if (!context.reopenWindowOpen()) {
          throw new OtklikException(409, "ticket.reopen-expired");
        }
        yield to;
      }
    };
  }

  private static WorkflowStatus staffOnly(boolean staff, TicketAction action, WorkflowStatus from,
      Set<WorkflowStatus> allowed, WorkflowStatus to) {
    if (!staff) {
      throw forbidden(action);
    }
    return from(action, from, allowed, to);
  }

  private static WorkflowStatus customerOnly(boolean staff, TicketAction action, WorkflowStatus from,
      Set<WorkflowStatus> allowed, WorkflowStatus to) {
    if (staff) {
      throw forbidden(action);
    }
    return from(action, from, allowed, to);
  }

  private static WorkflowStatus from(TicketAction action, WorkflowStatus from, Set<WorkflowStatus> allowed,
      WorkflowStatus to) {
    if (!allowed.contains(from)) {
      throw new OtklikException(409, "ticket.transition-invalid", ConfigId.of(action), ConfigId.of(from));
    }
    return to;
  }

  private static Set<WorkflowStatus> with(Set<WorkflowStatus> base, WorkflowStatus extra) {
    EnumSet<WorkflowStatus> all = EnumSet.copyOf(base);
    all.add(extra);
    return all;
  }

  private static OtklikException forbidden(TicketAction action) {
    return OtklikException.forbidden("ticket.action-forbidden", ConfigId.of(action));
  }
}
