package dev.otklik.core.tenant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's workflow rules on top of the platform's fixed states.
 *
 * @param statuses the tenant's labels for some of the fixed states
 * @param reopenWithin how long after closing a customer may reopen; empty: never
 */
public record Workflow(
    List<StatusLabel> statuses,
    Optional<SlaDuration> reopenWithin,
    boolean customerMayClose,
    List<WorkflowTimer> timers) {

  public Workflow {
    statuses = List.copyOf(statuses);
    Objects.requireNonNull(reopenWithin, "reopenWithin");
    timers = List.copyOf(timers);
  }

  /** The timer with this id. */
  public Optional<WorkflowTimer> timer(String timerId) {
    return timers.stream().filter(timer -> timer.id().equals(timerId)).findFirst();
  }
}
