package dev.otklik.tenant;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.Locale;

/** The keys of {@code weekly-hours}: {@code mon} ... {@code sun}. */
final class Weekdays {

  static String key(DayOfWeek day) {
    return day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT);
  }

  private Weekdays() {}
}
