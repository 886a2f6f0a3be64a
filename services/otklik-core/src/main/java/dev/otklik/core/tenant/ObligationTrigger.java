package dev.otklik.core.tenant;

/** Events that start a customer obligation's deadline. */
public enum ObligationTrigger {
  CONTRACT_SIGNED,
  ROSTER_CHANGED
}
