package dev.otklik.core.ticket;

import dev.otklik.core.tenant.SlaDuration;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Rough deadlines for limits a person states by hand (a callback promise, a reopen window),
 * where the full business calendar is not needed: clock units are exact, calendar days, months
 * and years are counted in the tenant's zone, and working days are counted as Monday to Friday,
 * ending at the end of the last one. Holidays are ignored, so across a holiday the limit is up
 * to that many days early. Working hours and the bare units have no rough form: empty.
 *
 * <p>Only a fallback: where the tenant's {@link dev.otklik.core.time.BusinessCalendar} is at hand
 * (the API's TenantSource gives it for every loaded tenant), limits are computed on it with
 * {@link dev.otklik.core.time.DeadlineCalculator} instead, holidays included.
 */
public final class DayArithmetic {

  private DayArithmetic() {}

  public static Optional<Instant> latest(Instant start, SlaDuration within, ZoneId zone) {
    ZonedDateTime from = start.atZone(zone);
    int n = within.amount();
    return switch (within.unit()) {
      case CLOCK_MINUTES, CLOCK_HOURS -> Optional.of(start.plus(within.toClockDuration()));
      case CALENDAR_DAYS -> Optional.of(from.plusDays(n).toInstant());
      case MONTHS -> Optional.of(from.plusMonths(n).toInstant());
      case YEARS -> Optional.of(from.plusYears(n).toInstant());
      case WORKING_DAYS -> Optional.of(endOfDay(plusWeekdays(from.toLocalDate(), n), zone));
      default -> Optional.empty();
    };
  }

  private static LocalDate plusWeekdays(LocalDate date, int weekdays) {
    LocalDate d = date;
    int left = weekdays;
    while (left > 0) {
      d = d.plusDays(1);
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        left--;
      }
    }
    return d;
  }

  private static Instant endOfDay(LocalDate date, ZoneId zone) {
    return date.plusDays(1).atStartOfDay(zone).toInstant().minusNanos(1);
  }
}
