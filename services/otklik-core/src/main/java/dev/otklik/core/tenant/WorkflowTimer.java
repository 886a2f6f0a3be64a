package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/**
 * An automatic action, run by a durable timer.
 *
 * @param startsOn the event that arms the timer
 * @param cancelledBy the event that disarms it; empty: nothing does
 * @param after how long after {@code startsOn} it fires
 */
public record WorkflowTimer(
    String id,
    ClockStart startsOn,
    Optional<ClockStop> cancelledBy,
    SlaDuration after,
    TimerAction action,
    Optional<LocalizedText> description) {

  public WorkflowTimer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(startsOn, "startsOn");
    Objects.requireNonNull(cancelledBy, "cancelledBy");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(description, "description");
  }
}
