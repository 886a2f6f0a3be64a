package dev.otklik.core.sla;

import static dev.otklik.core.tenant.WorkflowStatus.NEW;
import static dev.otklik.core.tenant.WorkflowStatus.TRIAGE;
import static dev.otklik.core.tenant.WorkflowStatus.WAITING_FOR_CUSTOMER;

import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.ticket.TicketAction;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one change of a request means to its SLA clocks: the starts-on and stops-on events that
 * just happened, and the status it is in afterwards (null when the status did not change).
 *
 * <p>The mapping (tenant-config/README.md vocabulary):
 * <ul>
 *   <li>creation: {@code registered} and {@code first-contact} (a request is registered on first
 *       contact); with a callback promise also {@code callback-promised}.
 *   <li>{@code start} from new, triage or waiting-for-customer, and {@code propose-solution} from
 *       new or triage: {@code triage-finished} (start and stop). It happens once per request:
 *       {@link SlaClocks} does not restart clocks on it again. {@code start} also stops
 *       {@code work-started}.
 *   <li>{@code ask-clarification}: starts on {@code clarification-requested}.
 *   <li>{@code reply}, and a public comment by the customer: {@code customer-replied}.
 *   <li>{@code propose-solution}: {@code solution-delivered} (stops the vendor's clock, starts the
 *       customer's acceptance clock).
 *   <li>{@code accept}, {@code return}: {@code solution-accepted-or-returned}; {@code return} and
 *       {@code reopen} start on {@code remarks-received}.
 *   <li>{@code close}, {@code cancel}: {@code resolved}, and every running clock stops.
 *   <li>Any status change by staff and any public staff comment: {@code first-response}.
 * </ul>
 */
public record SlaEvent(Set<ClockStart> starts, Set<ClockStop> stops, boolean stopAll, WorkflowStatus status) {

  public SlaEvent {
    starts = Set.copyOf(starts);
    stops = Set.copyOf(stops);
  }

  /** A request was registered. */
  public static SlaEvent created(boolean callbackPromised) {
    EnumSet<ClockStart> starts = EnumSet.of(ClockStart.REGISTERED, ClockStart.FIRST_CONTACT);
    if (callbackPromised) {
      starts.add(ClockStart.CALLBACK_PROMISED);
    }
    return new SlaEvent(starts, Set.of(), false, NEW);
  }

  /**
   * A request was registered, with the request form already filled in when {@code formReceived}:
   * then {@code form-received} happens too (after the starts, so a timer armed on registration
   * and cancelled by the form is disarmed at once).
   */
  public static SlaEvent created(boolean callbackPromised, boolean formReceived) {
    SlaEvent created = created(callbackPromised);
    return formReceived ? new SlaEvent(created.starts(), Set.of(ClockStop.FORM_RECEIVED), false, NEW) : created;
  }

  /** A comment was added; only public ones count. */
  public static SlaEvent comment(boolean byStaff, boolean isPublic) {
    if (!isPublic) {
      return new SlaEvent(Set.of(), Set.of(), false, null);
    }
    return new SlaEvent(Set.of(), Set.of(byStaff ? ClockStop.FIRST_RESPONSE : ClockStop.CUSTOMER_REPLIED), false,
        null);
  }

  /** The request form was submitted after registration: stops {@code form-received}. */
  public static SlaEvent formReceived() {
    EnumSet<ClockStop> stops = EnumSet.of(ClockStop.FORM_RECEIVED);
    return new SlaEvent(Set.of(), stops, false, null);
  }

  /** Staff called the customer back as promised: stops {@code callback-made}. */
  public static SlaEvent callbackMade() {
    return new SlaEvent(Set.of(), EnumSet.of(ClockStop.CALLBACK_MADE), false, null);
  }

  /** The triage fields changed (no clock event; re-targeting is separate). */
  public static SlaEvent none() {
    return new SlaEvent(Set.of(), Set.of(), false, null);
  }

  /** A status transition by {@code action} from {@code from} to {@code to}. */
  public static SlaEvent transition(TicketAction action, WorkflowStatus from, WorkflowStatus to, boolean byStaff) {
    Objects.requireNonNull(action, "action");
    EnumSet<ClockStart> starts = EnumSet.noneOf(ClockStart.class);
    EnumSet<ClockStop> stops = EnumSet.noneOf(ClockStop.class);
    boolean stopAll = false;
    if (byStaff) {
      stops.add(ClockStop.FIRST_RESPONSE);
    }
    switch (action) {
      case START -> {
        if (from == NEW || from == TRIAGE || from == WAITING_FOR_CUSTOMER) {
          starts.add(ClockStart.TRIAGE_FINISHED);
          stops.add(ClockStop.TRIAGE_FINISHED);
        }
        stops.add(ClockStop.WORK_STARTED);
      }
      case ASK_CLARIFICATION -> starts.add(ClockStart.CLARIFICATION_REQUESTED);
      case REPLY -> stops.add(ClockStop.CUSTOMER_REPLIED);
      case PROPOSE_SOLUTION -> {
        if (from == NEW || from == TRIAGE) {
          starts.add(ClockStart.TRIAGE_FINISHED);
          stops.add(ClockStop.TRIAGE_FINISHED);
        }
        starts.add(ClockStart.SOLUTION_DELIVERED);
        stops.add(ClockStop.SOLUTION_DELIVERED);
      }
      case ACCEPT -> stops.add(ClockStop.SOLUTION_ACCEPTED_OR_RETURNED);
      case RETURN -> {
        stops.add(ClockStop.SOLUTION_ACCEPTED_OR_RETURNED);
        starts.add(ClockStart.REMARKS_RECEIVED);
      }
      case REOPEN -> starts.add(ClockStart.REMARKS_RECEIVED);
      case CLOSE, CANCEL -> {
        stops.add(ClockStop.RESOLVED);
        stopAll = true;
      }
      case TRIAGE -> { }
      default -> throw new IllegalStateException("unknown action " + action);
    }
    return new SlaEvent(starts, stops, stopAll, to);
  }
}
