package dev.otklik.core.time;

import dev.otklik.core.tenant.LocalizedText;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A country's official calendar of holidays, transferred days and shortened days, shared by the
 * tenants that name it ({@code tenant-config/calendars/<id>.yaml}).
 *
 * @param fallback what a year without data means
 * @param years the data per year, in year order
 */
public record ProductionCalendar(
    String id, LocalizedText name, CalendarFallback fallback, Map<Integer, YearData> years) {

  public ProductionCalendar {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fallback, "fallback");
    years = Collections.unmodifiableMap(new TreeMap<>(years));
  }

  /** True when the calendar has data for {@code year}; otherwise {@link #fallback()} applies. */
  public boolean hasYear(int year) {
    return years.containsKey(year);
  }

  /** The data for {@code year}, if the calendar has any. */
  public Optional<YearData> year(int year) {
    return Optional.ofNullable(years.get(year));
  }

  /**
   * One year of a production calendar. The sets iterate in date order.
   *
   * @param source the legal act the data comes from
   * @param daysOff weekdays that are not worked (holidays and transferred days off)
   * @param workingDays weekend days that are worked (transferred working days)
   * @param shortenedDays pre-holiday days, shortened by each tenant's shortened-day reduction
   */
  public record YearData(
      String source,
      Set<LocalDate> daysOff,
      Set<LocalDate> workingDays,
      Set<LocalDate> shortenedDays) {

    public YearData {
      Objects.requireNonNull(source, "source");
      daysOff = sorted(daysOff);
      workingDays = sorted(workingDays);
      shortenedDays = sorted(shortenedDays);
    }

    private static NavigableSet<LocalDate> sorted(Set<LocalDate> dates) {
      return Collections.unmodifiableNavigableSet(new TreeSet<>(dates));
    }
  }
}
