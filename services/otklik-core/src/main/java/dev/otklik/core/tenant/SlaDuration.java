package dev.otklik.core.tenant;

import java.time.Duration;
import java.util.Objects;

/**
 * A duration as tenant files write it: {@code "<amount> <unit>"} ({@code "4 clock-hours"}) or a
 * bare special unit ({@code "by-agreement"}). Only the notation lives here; what a working hour
 * is depends on the tenant's calendar and is worked out elsewhere.
 *
 * @param amount a positive number of units, or 0 for a bare unit
 * @param unit the unit
 */
public record SlaDuration(int amount, DurationUnit unit) {

  private static final java.util.regex.Pattern AMOUNT = java.util.regex.Pattern.compile("[1-9][0-9]{0,8}");

  private static final String EXPECTED =
      "expected \"<amount> <unit>\" with a positive whole amount and unit one of "
          + ConfigId.join(DurationUnit.amountUnits())
          + ", or one of "
          + ConfigId.join(DurationUnit.bareUnits())
          + " on its own";

  public SlaDuration {
    Objects.requireNonNull(unit, "unit");
    if (unit.takesAmount() && amount <= 0) {
      throw new IllegalArgumentException(ConfigId.of(unit) + " needs a positive amount, got " + amount);
    }
    if (!unit.takesAmount() && amount != 0) {
      throw new IllegalArgumentException(ConfigId.of(unit) + " takes no amount, got " + amount);
    }
  }

  public static SlaDuration of(int amount, DurationUnit unit) {
    return new SlaDuration(amount, unit);
  }

  public static SlaDuration bare(DurationUnit unit) {
    return new SlaDuration(0, unit);
  }

  /**
   * Reads the file notation. It is strict so that {@link #toString()} gives the same text back:
   * one space, no leading zeros, no sign.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static SlaDuration parse(String text) {
    Objects.requireNonNull(text, "text");
    int space = text.indexOf(' ');
    if (space < 0) {
      return bare(unitOf(text, false, text));
    }
    String amount = text.substring(0, space);
    DurationUnit unit = unitOf(text.substring(space + 1), true, text);
    if (!AMOUNT.matcher(amount).matches()) {
      throw invalid(text, "the amount must be a positive whole number without leading zeros");
    }
    return of(Integer.parseInt(amount), unit);
  }

  /** The length of a clock-time duration ({@code clock-minutes}, {@code clock-hours}). */
  public Duration toClockDuration() {
    return switch (unit) {
      case CLOCK_MINUTES -> Duration.ofMinutes(amount);
      case CLOCK_HOURS -> Duration.ofHours(amount);
      default -> throw new IllegalStateException(this + " is not clock time");
    };
  }

  @Override
  public String toString() {
    return unit.takesAmount() ? amount + " " + ConfigId.of(unit) : ConfigId.of(unit);
  }

  private static DurationUnit unitOf(String id, boolean afterAmount, String text) {
    for (DurationUnit unit : DurationUnit.values()) {
      if (ConfigId.of(unit).equals(id)) {
        if (unit.takesAmount() != afterAmount) {
          throw invalid(text, afterAmount
              ? id + " is written without an amount"
              : id + " needs an amount, as in \"1 " + id + "\"");
        }
        return unit;
      }
    }
    throw invalid(text, "unknown unit \"" + id + "\"");
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "not a duration: \"" + text + "\": " + why + "; " + EXPECTED);
  }
}
