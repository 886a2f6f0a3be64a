package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/**
 * One deadline of an SLA cell: who owes what, between which two events, within how long.
 *
 * @param warnBefore how long before the deadline the owing side must be warned
 * @param label the target as the regulation words it
 */
public record SlaTarget(
    String id,
    TargetType type,
    Side side,
    ClockStart startsOn,
    ClockStop stopsOn,
    SlaDuration duration,
    Optional<SlaDuration> warnBefore,
    Optional<LocalizedText> label) {

  public SlaTarget {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(startsOn, "startsOn");
    Objects.requireNonNull(stopsOn, "stopsOn");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(warnBefore, "warnBefore");
    Objects.requireNonNull(label, "label");
  }
}
