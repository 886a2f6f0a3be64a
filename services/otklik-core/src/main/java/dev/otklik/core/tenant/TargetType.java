package dev.otklik.core.tenant;

/** What an SLA target measures. */
public enum TargetType {
  REACTION,
  RESOLUTION,
  START_OF_SERVICE,
  CONTACT,
  TRIAGE,
  CUSTOMER_ACCEPTANCE,
  REMARKS_FIX,
  CLARIFICATION_ANSWER,
  CALLBACK,
  FORM_SUBMISSION
}
