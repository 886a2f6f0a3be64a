package dev.otklik.core.tenant;

import java.util.Arrays;
import java.util.Optional;

/** The units of an {@link SlaDuration}; see tenant-config/README.md for their meaning. */
public enum DurationUnit {
  CLOCK_MINUTES(Kind.AMOUNT),
  CLOCK_HOURS(Kind.AMOUNT),
  CALENDAR_DAYS(Kind.AMOUNT),
  WORKING_MINUTES(Kind.AMOUNT),
  WORKING_HOURS(Kind.AMOUNT),
  WORKING_DAYS(Kind.AMOUNT),
  MONTHS(Kind.AMOUNT),
  YEARS(Kind.AMOUNT),
  END_OF_WORKING_DAY(Kind.BARE),
  BY_AGREEMENT(Kind.BARE),
  NEXT_PLANNED_RELEASE(Kind.BARE),
  NEXT_UNPLANNED_RELEASE(Kind.BARE),
  FOLLOWING_PLANNED_RELEASE(Kind.BARE);

  private enum Kind { AMOUNT, BARE }

  private final Kind kind;

  DurationUnit(Kind kind) {
    this.kind = kind;
  }

  /** True for units written after an amount ({@code "4 clock-hours"}). */
  public boolean takesAmount() {
    return kind == Kind.AMOUNT;
  }

  /** True for astronomical units, which ignore the tenant's calendar. */
  public boolean isClockTime() {
    return this == CLOCK_MINUTES || this == CLOCK_HOURS;
  }

  /** The release type whose schedule this unit reads, for release-based units. */
  public Optional<ReleaseType> releaseType() {
    return switch (this) {
      case NEXT_PLANNED_RELEASE, FOLLOWING_PLANNED_RELEASE -> Optional.of(ReleaseType.PLANNED);
      case NEXT_UNPLANNED_RELEASE -> Optional.of(ReleaseType.UNPLANNED);
      default -> Optional.empty();
    };
  }

  /** Units written after an amount, in declaration order. */
  public static DurationUnit[] amountUnits() {
    return Arrays.stream(values()).filter(DurationUnit::takesAmount).toArray(DurationUnit[]::new);
  }

  /** Units written on their own, in declaration order. */
  public static DurationUnit[] bareUnits() {
    return Arrays.stream(values()).filter(u -> !u.takesAmount()).toArray(DurationUnit[]::new);
  }
}
