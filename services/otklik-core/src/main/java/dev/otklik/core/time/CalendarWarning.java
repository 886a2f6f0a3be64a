package dev.otklik.core.time;

import java.util.Objects;

/**
 * A computation touched a year its production calendar has no data for, so that year followed
 * the calendar's fallback (weekly hours only) instead of the official holidays.
 *
 * @param calendarId the production calendar ({@code tenant-config/calendars/<id>.yaml})
 * @param year the uncovered year
 * @param fallback what was used instead
 */
public record CalendarWarning(String calendarId, int year, CalendarFallback fallback) {

  public CalendarWarning {
    Objects.requireNonNull(calendarId, "calendarId");
    Objects.requireNonNull(fallback, "fallback");
  }

  /** A human sentence for logs and the API. */
  public String message() {
    return "production calendar '" + calendarId + "' has no data for " + year
        + ": holidays, transferred and shortened days of " + year
        + " are unknown, so only the weekly hours were used (fallback " + fallback.name().toLowerCase().replace('_', '-')
        + "); add " + year + " to calendars/" + calendarId + ".yaml";
  }

  @Override
  public String toString() {
    return message();
  }
}
