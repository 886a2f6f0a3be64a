package dev.otklik.core.ticket;

import dev.otklik.core.tenant.ConfigId;

/** What someone does to a request's status; in the API by {@link ConfigId#of} ({@code ASK_CLARIFICATION <-> "ask-clarification"}). */
public enum TicketAction {
  /** Vendor: takes a new request into triage. */
  TRIAGE,
  /** Vendor: starts work. */
  START,
  /** Vendor: asks the customer a question; the request waits for the customer. */
  ASK_CLARIFICATION,
  /** Customer: answers a question; the request leaves waiting-for-customer. */
  REPLY,
  /** Vendor: proposes a solution or update for the customer to accept or return. */
  PROPOSE_SOLUTION,
  /** Customer: accepts the proposed solution. */
  ACCEPT,
  /** Customer: returns the proposed solution for rework. */
  RETURN,
  /** Closes the request (customers only where the tenant's workflow allows it). */
  CLOSE,
  /** Withdraws the request (customers only their own, while it is new). */
  CANCEL,
  /** Customer: reopens a closed request within the tenant's reopen-within. */
  REOPEN
}
