package dev.otklik.core.tenant;

/** Request events that stop an SLA clock or cancel a workflow timer. */
public enum ClockStop {
  FIRST_RESPONSE,
  TRIAGE_FINISHED,
  WORK_STARTED,
  SOLUTION_DELIVERED,
  SOLUTION_ACCEPTED_OR_RETURNED,
  CUSTOMER_REPLIED,
  FORM_RECEIVED,
  CALLBACK_MADE,
  RESOLVED
}
