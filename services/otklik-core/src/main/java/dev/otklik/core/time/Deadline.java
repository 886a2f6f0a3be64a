package dev.otklik.core.time;

import dev.otklik.core.tenant.SlaDuration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A computed SLA deadline, or the reason there is none.
 *
 * @param duration the target's duration as configured
 * @param start when the clock started
 * @param status whether a due instant could be computed
 * @param dueAt present exactly when {@code status} is {@link Status#COMPUTED}
 * @param warnAt when the owing side must have warned the other (the target's {@code warn-before}
 *     before {@code dueAt}); empty without a warn-before or a due instant
 * @param explanation the steps, when asked for (else {@link Explanation#none()})
 * @param warnings years the computation touched that the production calendar has no data for
 */
public record Deadline(
    SlaDuration duration,
    Instant start,
    Status status,
    Optional<Instant> dueAt,
    Optional<Instant> warnAt,
    Explanation explanation,
    List<CalendarWarning> warnings) {

  /** Whether a deadline has a due instant. */
  public enum Status {
    /** {@code dueAt} is set. */
    COMPUTED,
    /**
     * {@code by-agreement} or {@code following-planned-release}: no figure; an agent sets a
     * planned date, possibly agreed with the customer.
     */
    BY_AGREEMENT,
    /** A release-based unit, but the schedule has no release of that type after the start. */
    NO_RELEASE_SCHEDULED
  }

  public Deadline {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(dueAt, "dueAt");
    Objects.requireNonNull(warnAt, "warnAt");
    Objects.requireNonNull(explanation, "explanation");
    warnings = List.copyOf(warnings);
    if (dueAt.isPresent() != (status == Status.COMPUTED)) {
      throw new IllegalArgumentException("a due instant goes with status COMPUTED only; got " + status + " " + dueAt);
    }
  }

  /** True when a due instant was computed. */
  public boolean isComputed() {
    return status == Status.COMPUTED;
  }

  /** The due instant of a computed deadline. */
  public Instant requireDueAt() {
    return dueAt.orElseThrow(() -> new IllegalStateException("no due instant: " + status + " (" + duration + ")"));
  }
}
