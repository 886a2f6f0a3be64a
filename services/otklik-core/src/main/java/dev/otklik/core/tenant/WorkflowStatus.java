package dev.otklik.core.tenant;

/** The platform's fixed ticket states; tenants may only relabel them. */
public enum WorkflowStatus {
  NEW,
  TRIAGE,
  IN_PROGRESS,
  WAITING_FOR_CUSTOMER,
  SOLUTION_PROPOSED,
  RETURNED_FOR_REWORK,
  ACCEPTED,
  CLOSED,
  CANCELLED,
  CLOSED_BY_TIMEOUT
}
