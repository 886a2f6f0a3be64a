package dev.otklik.core.tenant;

/** What a workflow timer does when it fires. */
public enum TimerAction {
  CLOSE_BY_TIMEOUT,
  ALLOW_CLOSE,
  AUTO_ACCEPT,
  ESCALATE,
  REMIND
}
