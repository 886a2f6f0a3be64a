package dev.otklik.core.tenant;

/** Request events that start an SLA clock or a workflow timer. */
public enum ClockStart {
  REGISTERED,
  FIRST_CONTACT,
  TRIAGE_FINISHED,
  SOLUTION_DELIVERED,
  REMARKS_RECEIVED,
  CLARIFICATION_REQUESTED,
  CALLBACK_PROMISED
}
