package dev.otklik.tenant;

import dev.otklik.core.tenant.CalendarSpec;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.TimeWindow;
import java.time.DayOfWeek;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Business hours make sense: a desk is either always open or has weekly hours; windows ascend
 * without overlapping; a shortened day still has time left.
 */
final class BusinessHoursCheck implements TenantCheck {

  @Override
  public void check(TenantConfig config, Context context) {
    CalendarSpec calendar = config.calendar();
    if (calendar.alwaysOpen()) {
      refuseWhenAlwaysOpen(!calendar.weeklyHours().isEmpty(), "weekly-hours", context);
      refuseWhenAlwaysOpen(!calendar.transferredWorkingDayHours().isEmpty(), "transferred-working-day-hours", context);
      refuseWhenAlwaysOpen(!calendar.shortenedDayReduction().isZero(), "shortened-day-reduction", context);
      return;
    }
    if (calendar.weeklyHours().isEmpty()) {
      context.problem("/calendar/weekly-hours", "is required unless always-open is true; no day has working hours");
    }
    calendar.weeklyHours().forEach((day, windows) ->
        ascendingWithoutOverlap(windows, "/calendar/weekly-hours/" + Weekdays.key(day), context));
    ascendingWithoutOverlap(calendar.transferredWorkingDayHours(), "/calendar/transferred-working-day-hours", context);
    shortenedDaysKeepTime(calendar, context);
  }

  private static void refuseWhenAlwaysOpen(boolean present, String key, Context context) {
    if (present) {
      context.problem("/calendar/" + key, "must be omitted when always-open is true (a 24x7 desk has no hours)");
    }
  }

  private static void ascendingWithoutOverlap(List<TimeWindow> windows, String pointer, Context context) {
    for (int i = 1; i < windows.size(); i++) {
      TimeWindow previous = windows.get(i - 1);
      TimeWindow window = windows.get(i);
      if (window.overlaps(previous)) {
        context.problem(Pointer.child(pointer, i), window + " overlaps " + previous);
      } else if (window.start().isBefore(previous.end())) {
        context.problem(Pointer.child(pointer, i), window + " comes before " + previous + "; list windows in ascending order");
      }
    }
  }

  // The reduction is taken off the last window of the day; it must leave part of that window.
  private static void shortenedDaysKeepTime(CalendarSpec calendar, Context context) {
    if (calendar.shortenedDayReduction().isZero()) {
      return;
    }
    Map<String, List<TimeWindow>> days = new LinkedHashMap<>();
    for (DayOfWeek day : DayOfWeek.values()) {
      days.put(Weekdays.key(day), calendar.windowsOn(day));
    }
    days.put("transferred working day", calendar.transferredWorkingDayHours());
    days.forEach((day, windows) -> {
      if (!windows.isEmpty() && lastOf(windows).length().compareTo(calendar.shortenedDayReduction()) <= 0) {
        context.problem("/calendar/shortened-day-reduction",
            "a shortened " + day + " would lose its whole last window " + lastOf(windows));
      }
    });
  }

  private static TimeWindow lastOf(List<TimeWindow> windows) {
    return windows.get(windows.size() - 1);
  }
}
