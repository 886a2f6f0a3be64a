package dev.otklik.core.sla;

/** Where one SLA clock of a request stands; stored by {@link dev.otklik.core.tenant.ConfigId#of} ({@code "by-agreement"}). */
public enum ClockStatus {
  /** Its starts-on event has not happened yet. */
  PENDING,
  /** Started, with a due instant. */
  RUNNING,
  /** A vendor clock stopped while the request waits for the customer; resuming moves the due instant. */
  PAUSED,
  /** Stopped at or before its due instant (or it had none). */
  MET,
  /** Stopped after its due instant, or found past it by the timer. */
  BREACHED,
  /** Started, but the figure is "by agreement": an agent sets the planned date. */
  BY_AGREEMENT,
  /** Started, but a release-based unit and no such release is scheduled yet. */
  NOT_SCHEDULED,
  /**
   * A vendor clock set free by the customer's unexcused delay, where the tenant's rule says so
   * ({@code customer-delay-releases-vendor}); it no longer breaches.
   */
  RELEASED;

  /** Started and not yet stopped. */
  public boolean isTicking() {
    return this == RUNNING || this == PAUSED || this == BY_AGREEMENT || this == NOT_SCHEDULED;
  }

  /** Not stopped: pending or ticking. */
  public boolean isOpen() {
    return this == PENDING || isTicking();
  }
}
