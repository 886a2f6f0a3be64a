package dev.otklik.core.tenant;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's business calendar: everything business-time arithmetic needs besides the shared
 * production calendar it names.
 *
 * @param timeZone the zone all local times and dates are read in
 * @param productionCalendar id of {@code calendars/<id>.yaml}; empty: weekly hours only
 * @param alwaysOpen 24x7; then there are no weekly hours
 * @param weeklyHours working windows per day, ascending; days not present are days off
 * @param transferredWorkingDayHours hours on a weekend day the production calendar makes a
 *     working day
 * @param shortenedDayReduction how much earlier a pre-holiday day ends, taken off its last
 *     window; zero when the tenant does not shorten days
 */
public record CalendarSpec(
    ZoneId timeZone,
    Optional<String> productionCalendar,
    boolean alwaysOpen,
    Map<DayOfWeek, List<TimeWindow>> weeklyHours,
    List<TimeWindow> transferredWorkingDayHours,
    Duration shortenedDayReduction) {

  public CalendarSpec {
    Objects.requireNonNull(timeZone, "timeZone");
    Objects.requireNonNull(productionCalendar, "productionCalendar");
    weeklyHours = copyByDay(weeklyHours);
    transferredWorkingDayHours = List.copyOf(transferredWorkingDayHours);
    Objects.requireNonNull(shortenedDayReduction, "shortenedDayReduction");
  }

  /** The working windows of a day of the week; empty on a day off. */
  public List<TimeWindow> windowsOn(DayOfWeek day) {
    return weeklyHours.getOrDefault(day, List.of());
  }

  private static Map<DayOfWeek, List<TimeWindow>> copyByDay(Map<DayOfWeek, List<TimeWindow>> hours) {
    Map<DayOfWeek, List<TimeWindow>> copy = new EnumMap<>(DayOfWeek.class);
    hours.forEach((day, windows) -> copy.put(day, List.copyOf(windows)));
    return Collections.unmodifiableMap(copy);
  }
}
