package dev.otklik.core.sla;

import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TargetType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One SLA clock of one request (a {@code ticket_deadline} row): the target as the request got it
 * (its label left out: the config has it) and the clock's state. Instants are null where they do
 * not apply.
 *
 * @param cellId the matrix cell the target came from; null for a common target
 * @param pausedTotal how far pauses have moved the due instant so far (working time for working
 *     units, clock time for clock and calendar units)
 * @param explanation how the due instant was reached, one step per line (English)
 */
public record SlaClock(
    SlaTarget target,
    String cellId,
    ClockStatus status,
    Instant startedAt,
    Instant pausedAt,
    Duration pausedTotal,
    Instant dueAt,
    Instant warnAt,
    Instant metAt,
    Instant breachedAt,
    List<String> explanation) {

  public SlaClock {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(pausedTotal, "pausedTotal");
    explanation = List.copyOf(explanation);
  }

  /** A clock that has not started: the target as configured. */
  public static SlaClock pending(SlaTarget target, String cellId) {
    SlaTarget bare = new SlaTarget(target.id(), target.type(), target.side(), target.startsOn(), target.stopsOn(),
        target.duration(), target.warnBefore(), Optional.empty());
    return new SlaClock(bare, cellId, ClockStatus.PENDING, null, null, Duration.ZERO, null, null, null, null,
        List.of());
  }

  public String targetId() {
    return target.id();
  }

  public TargetType type() {
    return target.type();
  }

  public Side side() {
    return target.side();
  }

  public ClockStart startsOn() {
    return target.startsOn();
  }

  public ClockStop stopsOn() {
    return target.stopsOn();
  }

  public SlaDuration duration() {
    return target.duration();
  }

  SlaClock with(ClockStatus status, Instant startedAt, Instant pausedAt, Duration pausedTotal, Instant dueAt,
      Instant warnAt, Instant metAt, Instant breachedAt, List<String> explanation) {
    return new SlaClock(target, cellId, status, startedAt, pausedAt, pausedTotal, dueAt, warnAt, metAt, breachedAt,
        explanation);
  }
}
