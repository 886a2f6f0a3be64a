package dev.otklik.store;

import dev.otklik.core.sla.SlaClock;
import java.util.Objects;

/**
 * A stored SLA deadline of a request: the clock and the SLA and config versions it was computed
 * under.
 */
public record TicketDeadline(SlaClock clock, String slaVersion, Integer configVersion) {

  public TicketDeadline {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(slaVersion, "slaVersion");
  }
}
