package dev.otklik.core.time;

import dev.otklik.core.tenant.CalendarSpec;
import dev.otklik.core.tenant.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The slow, obviously right answer: walks minute by minute and asks of each minute, from the
 * raw spec and production calendar, "is the local time of this minute inside a working window
 * of its date?". It shares no code with {@link BusinessCalendar}. A shortened day is modelled
 * as "working only before (latest window end - reduction)".
 */
final class MinuteOracle {

  private final CalendarSpec spec;
  private final Optional<ProductionCalendar> production;

  MinuteOracle(CalendarSpec spec, Optional<ProductionCalendar> production) {
    this.spec = spec;
    this.production = production;
  }

  /** Whether the minute starting at {@code minute} is working time. */
  boolean isWorkingMinute(Instant minute) {
    if (spec.alwaysOpen()) {
      return true;
    }
    ZonedDateTime local = minute.atZone(spec.timeZone());
    LocalDate date = local.toLocalDate();
    LocalTime time = local.toLocalTime();
    Optional<ProductionCalendar.YearData> year = production.flatMap(p -> p.year(date.getYear()));
    if (year.isPresent() && year.get().daysOff().contains(date)) {
      return false;
    }
    List<TimeWindow> windows = spec.windowsOn(date.getDayOfWeek());
    if (windows.isEmpty() && year.isPresent() && year.get().workingDays().contains(date)) {
      windows = spec.transferredWorkingDayHours();
    }
    boolean inWindow = false;
    LocalTime latestEnd = LocalTime.MIN;
    for (TimeWindow window : windows) {
      if (!time.isBefore(window.start()) && time.isBefore(window.end())) {
        inWindow = true;
      }
      if (window.end().isAfter(latestEnd)) {
        latestEnd = window.end();
      }
    }
    if (inWindow && year.isPresent() && year.get().shortenedDays().contains(date)) {
      return time.isBefore(latestEnd.minus(spec.shortenedDayReduction()));
    }
    return inWindow;
  }

  /** The end of the minute in which the {@code minutes}-th working minute after {@code start} ends. */
  Instant addWorkingMinutes(Instant start, long minutes) {
    if (minutes == 0) {
      return start;
    }
    long counted = 0;
    for (Instant m = start; ; m = m.plusSeconds(60)) {
      if (isWorkingMinute(m) && ++counted == minutes) {
        return m.plusSeconds(60);
      }
    }
  }

  /** Working minutes in {@code [from, to)}, both on whole minutes. */
  Duration workingBetween(Instant from, Instant to) {
    long counted = 0;
    for (Instant m = from; m.isBefore(to); m = m.plusSeconds(60)) {
      if (isWorkingMinute(m)) {
        counted++;
      }
    }
    return Duration.ofMinutes(counted);
  }
}
