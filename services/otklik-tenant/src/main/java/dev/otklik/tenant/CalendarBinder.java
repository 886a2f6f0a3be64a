package dev.otklik.tenant;

import static dev.otklik.tenant.CommonReaders.text;
import static dev.otklik.tenant.CommonReaders.vocabulary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otklik.core.time.CalendarFallback;
import dev.otklik.core.time.ProductionCalendar;
import dev.otklik.core.time.ProductionCalendar.YearData;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Binds a calendar file to {@link ProductionCalendar}. Calendar data is a list of dates whose
 * meaning depends on the weekday, so the date checks are made here, where each date's position
 * in the file is known.
 */
final class CalendarBinder {

  private static final Predicate<LocalDate> WEEKEND =
      date -> date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;

  /** The bound calendar, or empty when the tree had problems (all recorded). */
  static Optional<ProductionCalendar> bind(JsonNode tree, Problems problems) {
    return ConfigNode.root(tree, problems)
        .attempt(root -> root.asObject(CalendarBinder::calendar))
        .filter(calendar -> problems.isEmpty());
  }

  private static ProductionCalendar calendar(ConfigNode n) {
    return new ProductionCalendar(
        n.text("id"),
        text(n, "name"),
        n.optional("fallback", f -> f.as(vocabulary(CalendarFallback.class))).orElse(CalendarFallback.WEEKENDS_ONLY),
        years(n.get("years").required()));
  }

  private static Map<Integer, YearData> years(ConfigNode list) {
    Map<Integer, YearData> years = new HashMap<>();
    Map<Integer, String> firstSeenAt = new HashMap<>();
    list.asList(node -> node.asObject(n -> {
      ConfigNode yearNode = n.get("year").required();
      int year = yearNode.asInt();
      if (firstSeenAt.containsKey(year)) {
        throw yearNode.fail("year " + year + " appears twice (first at " + firstSeenAt.get(year) + ")");
      }
      firstSeenAt.put(year, yearNode.pointer());
      years.put(year, yearData(n, year));
      return year;
    }));
    return years;
  }

  private static YearData yearData(ConfigNode n, int year) {
    Set<LocalDate> daysOff = dates(n, "days-off", year, WEEKEND.negate(),
        "is a %s; days-off lists weekdays that are not worked (weekends are off anyway)");
    Set<LocalDate> workingDays = dates(n, "working-days", year, WEEKEND,
        "is a %s; working-days lists weekend days that are worked");
    Set<LocalDate> shortened = dates(n, "shortened-days", year,
        date -> workingDays.contains(date) || (!WEEKEND.test(date) && !daysOff.contains(date)),
        "is a %s that is not worked; shortened-days lists pre-holiday working days");
    return new YearData(n.text("source"), daysOff, workingDays, shortened);
  }

  private static Set<LocalDate> dates(
      ConfigNode n, String key, int year, Predicate<LocalDate> allowed, String refusal) {
    List<LocalDate> dates = n.list(key, node -> {
      LocalDate date = node.as(CommonReaders::date);
      if (date.getYear() != year) {
        throw node.fail(date + " is not in " + year);
      }
      if (!allowed.test(date)) {
        throw node.fail(date + " " + String.format(refusal, dayName(date)));
      }
      return date;
    });
    return new LinkedHashSet<>(dates);
  }

  private static String dayName(LocalDate date) {
    String name = date.getDayOfWeek().name();
    return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
  }

  private CalendarBinder() {}
}
