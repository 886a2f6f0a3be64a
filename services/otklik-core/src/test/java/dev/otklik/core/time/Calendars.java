package dev.otklik.core.time;

import dev.otklik.core.tenant.CalendarSpec;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.TimeWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test calendars mirroring the seed tenants' {@code calendar:} sections and
 * tenant-config/calendars/ru.yaml (2025 and 2026; 2027 deliberately absent), plus DST zones.
 */
final class Calendars {

  static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  static final ProductionCalendar RU = new ProductionCalendar(
      "ru",
      LocalizedText.of("Производственный календарь РФ", "Russian production calendar"),
      CalendarFallback.WEEKENDS_ONLY,
      Map.of(
          2025, new ProductionCalendar.YearData("Постановление № 1335",
              dates("2025-01-01", "2025-01-02", "2025-01-03", "2025-01-06", "2025-01-07", "2025-01-08",
                  "2025-05-01", "2025-05-02", "2025-05-08", "2025-05-09", "2025-06-12", "2025-06-13",
                  "2025-11-03", "2025-11-04", "2025-12-31"),
              dates("2025-11-01"),
              dates("2025-03-07", "2025-04-30", "2025-06-11", "2025-11-01")),
          2026, new ProductionCalendar.YearData("Постановление № 1466",
              dates("2026-01-01", "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08",
                  "2026-01-09", "2026-02-23", "2026-03-09", "2026-05-01", "2026-05-11", "2026-06-12",
                  "2026-11-04", "2026-12-31"),
              Set.of(),
              dates("2026-04-30", "2026-05-08", "2026-06-11", "2026-11-03"))));

  /** risk-pro, cik-alekon and imc: 09:00-18:00 Moscow, ru calendar, 60-minute reduction. */
  static final CalendarSpec RU_9_18 = weekdays(MOSCOW, "ru", "09:00-18:00");
  /** asmo: 08:45-17:00 Moscow. */
  static final CalendarSpec ASMO = weekdays(MOSCOW, "ru", "08:45-17:00");
  /** amber-crm: 24x7. */
  static final CalendarSpec AMBER = new CalendarSpec(MOSCOW, Optional.empty(), true, Map.of(), List.of(), Duration.ZERO);
  /**
   * Berlin 09:00-17:00 on weekdays, no production calendar, and a Sunday window 01:00-04:00 that
   * spans the DST gap (last Sunday of March) and overlap (last Sunday of October).
   */
  static final CalendarSpec BERLIN_9_17 = berlin();
  /** New York with a lunch break, no production calendar. */
  static final CalendarSpec NEW_YORK_LUNCH = lunch();

  static BusinessCalendar calendar(CalendarSpec spec) {
    return BusinessCalendar.of(spec, spec.productionCalendar().isPresent() ? Optional.of(RU) : Optional.empty());
  }

  static CalendarSpec weekdays(ZoneId zone, String production, String window) {
    Map<DayOfWeek, List<TimeWindow>> hours = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
        DayOfWeek.FRIDAY)) {
      hours.put(day, List.of(TimeWindow.parse(window)));
    }
    return new CalendarSpec(zone, Optional.ofNullable(production), false, hours,
        List.of(TimeWindow.parse(window)), Duration.ofMinutes(60));
  }

  private static CalendarSpec berlin() {
    CalendarSpec base = weekdays(BERLIN, null, "09:00-17:00");
    Map<DayOfWeek, List<TimeWindow>> hours = new EnumMap<>(base.weeklyHours());
    hours.put(DayOfWeek.SUNDAY, List.of(TimeWindow.parse("01:00-04:00")));
    return new CalendarSpec(BERLIN, Optional.empty(), false, hours, List.of(), Duration.ZERO);
  }

  private static CalendarSpec lunch() {
    Map<DayOfWeek, List<TimeWindow>> hours = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
        DayOfWeek.FRIDAY)) {
      hours.put(day, List.of(TimeWindow.parse("09:00-12:00"), TimeWindow.parse("13:00-17:00")));
    }
    return new CalendarSpec(NEW_YORK, Optional.empty(), false, hours, List.of(), Duration.ZERO);
  }

  static Instant msk(String localDateTime) {
    return at(MOSCOW, localDateTime);
  }

  static Instant at(ZoneId zone, String localDateTime) {
    return ZonedDateTime.of(LocalDateTime.parse(localDateTime), zone).toInstant();
  }

  private static Set<LocalDate> dates(String... dates) {
    return Arrays.stream(dates).map(LocalDate::parse).collect(Collectors.toSet());
  }

  private Calendars() {}
}
