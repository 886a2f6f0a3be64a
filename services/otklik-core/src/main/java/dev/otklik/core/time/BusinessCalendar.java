package dev.otklik.core.time;

import dev.otklik.core.tenant.CalendarSpec;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's business calendar: its weekly hours in its time zone, corrected by the production
 * calendar it names (holidays, transferred working days, shortened pre-holiday days), and the
 * business-time arithmetic the SLA clock needs. Immutable and thread-safe; resolved days are
 * cached, so keep one instance per loaded tenant configuration.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A date's kind, in this order: a day off of the production calendar is a
 *       {@linkplain BusinessDay.Type#HOLIDAY holiday} (whatever the weekly hours say); a day of
 *       the week with weekly hours is a working day; a day the production calendar lists as a
 *       working day uses {@code transferred-working-day-hours}; anything else is a weekend. A
 *       listed working day that already has weekly hours keeps its weekly hours.
 *   <li>A shortened pre-holiday day (either kind of working day) ends
 *       {@code shortened-day-reduction} earlier, taken off its last window; if the reduction is
 *       longer than that window, the window goes and the rest comes off the one before.
 *   <li>{@code always-open}: every day is working from 00:00 to 24:00; production calendars
 *       are ignored (holidays do not close a 24x7 desk).
 *   <li>A year the production calendar has no data for follows weekly hours only (its
 *       {@link CalendarFallback}); {@link #warningsFor} lists such years for any span, and every
 *       {@link Deadline} carries them, so the guess is never silent.
 *   <li>Windows are local times; DST gaps and overlaps are resolved as {@link BusinessDay}
 *       describes. Working time is real elapsed time inside windows.
 *   <li>Window ends are exclusive: at 18:00 on a 09:00-18:00 day the desk is closed; adding
 *       working time that runs out exactly at 18:00 gives 18:00, not 09:00 the next morning.
 * </ul>
 *
 * <p>All operations walk day by day over windows, never minute by minute. A calendar with no
 * working time within {@value #MAX_IDLE_DAYS} consecutive days is refused by the operation.
 */
public final class BusinessCalendar {

  /** Consecutive days without working time after which a search gives up. */
  static final int MAX_IDLE_DAYS = 3_660;

  private static final int CACHE_FROM_YEAR = 1990;
  private static final int CACHE_TO_YEAR = 2200;

  private final CalendarSpec spec;
  private final ZoneId zone;
  private final ZoneRules rules;
  private final ZoneOffset fixedOffset;
  private final Optional<ProductionCalendar> production;
  private final Map<LocalDate, BusinessDay> days = new ConcurrentHashMap<>();

  private BusinessCalendar(CalendarSpec spec, Optional<ProductionCalendar> production) {
    this.spec = spec;
    this.zone = spec.timeZone();
    this.rules = zone.getRules();
    this.fixedOffset = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH) : null;
    this.production = spec.alwaysOpen() ? Optional.empty() : production;
  }

  /**
   * @param production the production calendar the spec names; must be present (and have that
   *     id) when the spec names one, unless the spec is always open
   * @throws IllegalArgumentException when the production calendar does not match the spec
   */
  public static BusinessCalendar of(CalendarSpec spec, Optional<ProductionCalendar> production) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(production, "production");
    if (!spec.alwaysOpen()) {
      if (spec.productionCalendar().isPresent()) {
        String id = spec.productionCalendar().get();
        if (production.isEmpty() || !production.get().id().equals(id)) {
          throw new IllegalArgumentException("the calendar names production calendar '" + id + "' but "
              + production.map(p -> "'" + p.id() + "'").orElse("none") + " was given");
        }
      } else if (production.isPresent()) {
        throw new IllegalArgumentException("the calendar names no production calendar but '"
            + production.get().id() + "' was given");
      }
    }
    return new BusinessCalendar(spec, production);
  }

  /** The calendar of a loaded tenant, taking its production calendar from {@code calendars} by id. */
  public static BusinessCalendar forTenant(TenantConfig tenant, Map<String, ProductionCalendar> calendars) {
    CalendarSpec spec = tenant.calendar();
    Optional<ProductionCalendar> production = spec.alwaysOpen()
        ? Optional.empty()
        : spec.productionCalendar().map(id -> Optional.ofNullable(calendars.get(id)).orElseThrow(
            () -> new IllegalArgumentException("tenant " + tenant.id() + " names unknown production calendar " + id)));
    return of(spec, production);
  }

  public CalendarSpec spec() {
    return spec;
  }

  public ZoneId zone() {
    return zone;
  }

  public Optional<ProductionCalendar> productionCalendar() {
    return production;
  }

  // ---------------------------------------------------------------------------------- days

  /** The resolved day for a date in the tenant's zone. */
  public BusinessDay day(LocalDate date) {
    int year = date.getYear();
    if (year < CACHE_FROM_YEAR || year > CACHE_TO_YEAR) {
      return build(date);
    }
    BusinessDay day = days.get(date);
    if (day == null) {
      day = build(date);
      days.putIfAbsent(date, day);
    }
    return day;
  }

  /** The local date of an instant in the tenant's zone. */
  public LocalDate dateOf(Instant instant) {
    return LocalDate.ofInstant(instant, zone);
  }

  private BusinessDay build(LocalDate date) {
    if (spec.alwaysOpen()) {
      Instant start = date.atStartOfDay(zone).toInstant();
      Instant end = date.plusDays(1).atStartOfDay(zone).toInstant();
      return new BusinessDay(date, BusinessDay.Type.ALWAYS_OPEN, false, true, List.of(),
          new Instant[] {start}, new Instant[] {end});
    }
    Optional<ProductionCalendar.YearData> year = production.flatMap(p -> p.year(date.getYear()));
    boolean covered = production.isEmpty() || year.isPresent();
    List<TimeWindow> weekly = spec.windowsOn(date.getDayOfWeek());
    BusinessDay.Type type;
    List<TimeWindow> hours;
    if (year.isPresent() && year.get().daysOff().contains(date)) {
      type = BusinessDay.Type.HOLIDAY;
      hours = List.of();
    } else if (!weekly.isEmpty()) {
      type = BusinessDay.Type.WORKING;
      hours = weekly;
    } else if (year.isPresent() && year.get().workingDays().contains(date)) {
      type = BusinessDay.Type.TRANSFERRED_WORKING;
      hours = spec.transferredWorkingDayHours();
    } else {
      type = BusinessDay.Type.WEEKEND;
      hours = List.of();
    }
    boolean shortened = false;
    if (!hours.isEmpty() && year.isPresent() && year.get().shortenedDays().contains(date)
        && spec.shortenedDayReduction().compareTo(Duration.ZERO) > 0) {
      hours = shorten(hours, spec.shortenedDayReduction());
      shortened = true;
    }
    List<Instant> starts = new ArrayList<>(hours.size());
    List<Instant> ends = new ArrayList<>(hours.size());
    Instant previousEnd = null;
    for (TimeWindow window : hours) {
      Instant start = at(date, window.start());
      Instant end = at(date, window.end());
      if (previousEnd != null && start.isBefore(previousEnd)) {
        start = previousEnd;
      }
      if (end.isAfter(start)) {
        starts.add(start);
        ends.add(end);
        previousEnd = end;
      }
    }
    return new BusinessDay(date, type, shortened, covered, hours,
        starts.toArray(Instant[]::new), ends.toArray(Instant[]::new));
  }

  /** Takes {@code reduction} off the end of the day: off the last window, then the one before. */
  static List<TimeWindow> shorten(List<TimeWindow> hours, Duration reduction) {
    List<TimeWindow> result = new ArrayList<>(hours);
    Duration left = reduction;
    while (!result.isEmpty() && left.compareTo(Duration.ZERO) > 0) {
      TimeWindow last = result.get(result.size() - 1);
      if (last.length().compareTo(left) > 0) {
        result.set(result.size() - 1, new TimeWindow(last.start(), last.end().minus(left)));
        left = Duration.ZERO;
      } else {
        result.remove(result.size() - 1);
        left = left.minus(last.length());
      }
    }
    return List.copyOf(result);
  }

  /**
   * A local date and time as an instant: a time inside a DST gap is the instant the gap ends; a
   * time inside an overlap is its first occurrence.
   */
  Instant at(LocalDate date, LocalTime time) {
    LocalDateTime local = date.atTime(time);
    if (fixedOffset != null) {
      return local.toInstant(fixedOffset);
    }
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      return rules.getTransition(local).getInstant();
    }
    return local.toInstant(offsets.get(0));
  }

  // ---------------------------------------------------------------------------------- queries

  /** True when {@code instant} is inside a working window (window ends are exclusive). */
  public boolean isWorking(Instant instant) {
    BusinessDay day = day(dateOf(instant));
    for (int i = 0; i < day.windowCount(); i++) {
      if (!instant.isBefore(day.windowStart(i)) && instant.isBefore(day.windowEnd(i))) {
        return true;
      }
    }
    return false;
  }

  /** {@code instant} itself when it is working time, otherwise the start of the next window. */
  public Instant nextWorkingInstant(Instant instant) {
    LocalDate date = dateOf(instant);
    for (int idle = 0; idle <= MAX_IDLE_DAYS; idle++, date = date.plusDays(1)) {
      BusinessDay day = day(date);
      for (int i = 0; i < day.windowCount(); i++) {
        if (day.windowEnd(i).isAfter(instant)) {
          return max(day.windowStart(i), instant);
        }
      }
    }
    throw noWorkingTime(instant);
  }

  /**
   * The end of the working day the clock starts in: the end of the last window of the day of
   * {@link #nextWorkingInstant}. During or before the hours of a working day (or in a break
   * between its windows) that is the same day; after its hours or on a day off, the next working
   * day. For a 24x7 calendar, the next midnight.
   */
  public Instant endOfWorkingDay(Instant instant) {
    return endOfWorkingDay(instant, Trace.OFF);
  }

  Instant endOfWorkingDay(Instant instant, Trace trace) {
    Instant next = nextWorkingInstant(instant);
    BusinessDay day = day(dateOf(next));
    if (trace.on) {
      describeStart(instant, trace);
      if (!dateOf(next).equals(dateOf(instant))) {
        trace.add("the clock starts at the next working time, " + TimeText.instant(next, zone));
      }
      trace.add(TimeText.date(day.date()) + ": " + day.describe() + "; its working day ends "
          + TimeText.instant(day.end(), zone));
    }
    return day.end();
  }

  /**
   * The instant at which {@code workingTime} of working time has passed since {@code start}. Zero
   * gives {@code start} itself. Time runs only inside windows; when it runs out exactly at the
   * end of a window the result is that end (18:00), not the next window's start.
   *
   * @throws IllegalArgumentException for a negative duration
   */
  public Instant addWorking(Instant start, Duration workingTime) {
    return addWorking(start, workingTime, Trace.OFF);
  }

  Instant addWorking(Instant start, Duration workingTime, Trace trace) {
    requireNonNegative(workingTime);
    if (trace.on) {
      describeStart(start, trace);
    }
    if (workingTime.isZero()) {
      return start;
    }
    if (spec.alwaysOpen()) {
      Instant due = start.plus(workingTime);
      if (trace.on) {
        trace.add("24x7: every minute is working time, +" + TimeText.duration(workingTime));
        trace.add("due " + TimeText.instant(due, zone));
      }
      return due;
    }
    Duration left = workingTime;
    LocalDate date = dateOf(start);
    OffRun off = trace.on ? new OffRun() : null;
    for (int idle = 0; idle <= MAX_IDLE_DAYS; date = date.plusDays(1)) {
      BusinessDay day = day(date);
      Duration used = Duration.ZERO;
      Instant due = null;
      for (int i = 0; i < day.windowCount() && due == null; i++) {
        Instant from = max(day.windowStart(i), start);
        Instant to = day.windowEnd(i);
        if (!to.isAfter(from)) {
          continue;
        }
        Duration available = Duration.between(from, to);
        if (available.compareTo(left) >= 0) {
          due = from.plus(left);
          used = used.plus(left);
          left = Duration.ZERO;
        } else {
          used = used.plus(available);
          left = left.minus(available);
        }
      }
      if (trace.on) {
        traceDay(day, used, workingTime.minus(left), workingTime, off, trace);
      }
      if (due != null) {
        if (trace.on) {
          trace.add("due " + TimeText.instant(due, zone));
        }
        return due;
      }
      idle = day.isWorkingDay() ? 0 : idle + 1;
    }
    throw noWorkingTime(start);
  }

  /**
   * The instant {@code workingTime} of working time before {@code end}: the latest {@code w} with
   * {@code workingTimeBetween(w, end) == workingTime}. Used for warning lead times.
   */
  public Instant subtractWorking(Instant end, Duration workingTime) {
    requireNonNegative(workingTime);
    if (workingTime.isZero()) {
      return end;
    }
    if (spec.alwaysOpen()) {
      return end.minus(workingTime);
    }
    Duration left = workingTime;
    LocalDate date = dateOf(end);
    for (int idle = 0; idle <= MAX_IDLE_DAYS; date = date.minusDays(1)) {
      BusinessDay day = day(date);
      for (int i = day.windowCount() - 1; i >= 0; i--) {
        Instant from = day.windowStart(i);
        Instant to = min(day.windowEnd(i), end);
        if (!to.isAfter(from)) {
          continue;
        }
        Duration available = Duration.between(from, to);
        if (available.compareTo(left) >= 0) {
          return to.minus(left);
        }
        left = left.minus(available);
      }
      idle = day.isWorkingDay() ? 0 : idle + 1;
    }
    throw noWorkingTime(end);
  }

  /**
   * The working time inside {@code [from, to)}; negative (minus the time inside
   * {@code [to, from)}) when {@code to} is before {@code from}, so "time left" goes negative once
   * a deadline has passed.
   */
  public Duration workingTimeBetween(Instant from, Instant to) {
    if (to.isBefore(from)) {
      return workingTimeBetween(to, from).negated();
    }
    if (spec.alwaysOpen()) {
      return Duration.between(from, to);
    }
    Duration total = Duration.ZERO;
    LocalDate last = dateOf(to);
    for (LocalDate date = dateOf(from); !date.isAfter(last); date = date.plusDays(1)) {
      BusinessDay day = day(date);
      for (int i = 0; i < day.windowCount(); i++) {
        Instant a = max(day.windowStart(i), from);
        Instant b = min(day.windowEnd(i), to);
        if (b.isAfter(a)) {
          total = total.plus(Duration.between(a, b));
        }
      }
    }
    return total;
  }

  /**
   * "Within N working days of X" (tenant-config/README.md):
   * <ul>
   *   <li>X inside working hours: the same local time of day on the N-th working day after X's
   *       date. If that day's hours end earlier (a shortened day: 17:30 on a day that ends at
   *       17:00), the end of that day; if they start later (transferred-day hours), their start.
   *       A time in a break between windows is kept as is; a time in a DST gap is the gap's end.
   *   <li>X before the hours of a working day, after them, or on a day off: the end of the N-th
   *       working day counting the day the clock starts in ({@link #nextWorkingInstant}) as the
   *       first. So 1 working day from Thu 18:30 ends at Fri 18:00, from Thu 08:00 at Thu 18:00,
   *       from Sat at Mon 18:00.
   *   <li>X in a break between two windows of a day: as if X were the end of the break.
   * </ul>
   * Both cases give N full working days of working time, except where the target day is
   * shorter. Zero days give X itself.
   */
  public Instant addWorkingDays(Instant start, int days) {
    return addWorkingDays(start, days, Trace.OFF);
  }

  Instant addWorkingDays(Instant start, int days, Trace trace) {
    if (days < 0) {
      throw new IllegalArgumentException("negative number of working days: " + days);
    }
    if (trace.on) {
      describeStart(start, trace);
    }
    if (days == 0) {
      return start;
    }
    Instant clockStart = nextWorkingInstant(start);
    BusinessDay first = day(dateOf(clockStart));
    boolean beforeHours = !clockStart.equals(start) && clockStart.equals(first.start());
    if (beforeHours) {
      if (trace.on) {
        trace.add("outside working hours: the deadline is the end of the " + ordinal(days)
            + " working day, counting " + TimeText.date(first.date()) + " (" + first.describe() + ") as the first");
      }
      BusinessDay target = days == 1 ? first : workingDayAfter(first.date(), days - 1, 1, trace);
      Instant due = target.end();
      if (trace.on) {
        trace.add("due at the end of " + TimeText.date(target.date()) + " (" + target.describe() + "): "
          + TimeText.instant(due, zone));
      }
      return due;
    }
    if (trace.on && !clockStart.equals(start)) {
      trace.add("in a break between windows: counted from " + TimeText.instant(clockStart, zone));
    }
    LocalTime time = clockStart.atZone(zone).toLocalTime();
    BusinessDay target = workingDayAfter(first.date(), days, 0, trace);
    Instant candidate = at(target.date(), time);
    Instant due = candidate;
    String why = "the same time of day";
    if (candidate.isAfter(target.end())) {
      due = target.end();
      why = time + " is after its hours end, so the end of that working day";
    } else if (candidate.isBefore(target.start())) {
      due = target.start();
      why = time + " is before its hours start, so the start of its hours";
    }
    if (trace.on) {
      trace.add("within working hours: " + days + " working day" + (days == 1 ? "" : "s") + " later is "
          + TimeText.date(target.date()) + " (" + target.describe() + "); " + why);
      trace.add("due " + TimeText.instant(due, zone));
    }
    return due;
  }

  /**
   * The instant {@code days} working days before {@code end}, for warning lead times: the same
   * local time on the N-th working day before; an end outside working hours first moves back to
   * the end of the last window before it (so "1 working day before Fri 18:00" is Thu 18:00), and
   * a time the earlier day does not have is clamped into its hours.
   */
  public Instant subtractWorkingDays(Instant end, int days) {
    if (days < 0) {
      throw new IllegalArgumentException("negative number of working days: " + days);
    }
    if (days == 0) {
      return end;
    }
    Instant anchor = previousWorkingBoundary(end);
    LocalDate date = dateOf(anchor);
    LocalTime time = anchor.atZone(zone).toLocalTime();
    BusinessDay target = null;
    int found = 0;
    for (int idle = 0; found < days; ) {
      date = date.minusDays(1);
      BusinessDay day = day(date);
      if (day.isWorkingDay()) {
        found++;
        target = day;
        idle = 0;
      } else if (++idle > MAX_IDLE_DAYS) {
        throw noWorkingTime(end);
      }
    }
    Instant candidate = at(target.date(), time);
    if (candidate.isAfter(target.end())) {
      return target.end();
    }
    return candidate.isBefore(target.start()) ? target.start() : candidate;
  }

  /** {@code instant} when it is working time or the end of a window; else the end of the last window before it. */
  private Instant previousWorkingBoundary(Instant instant) {
    LocalDate date = dateOf(instant);
    for (int idle = 0; idle <= MAX_IDLE_DAYS; date = date.minusDays(1)) {
      BusinessDay day = day(date);
      for (int i = day.windowCount() - 1; i >= 0; i--) {
        if (day.windowStart(i).isBefore(instant)) {
          return min(day.windowEnd(i), instant);
        }
      }
      idle = day.isWorkingDay() ? 0 : idle + 1;
    }
    throw noWorkingTime(instant);
  }

  /** The N-th working day strictly after {@code date} (N >= 1); {@code counted} days already counted, for the trace. */
  private BusinessDay workingDayAfter(LocalDate date, int n, int counted, Trace trace) {
    OffRun off = trace.on ? new OffRun() : null;
    int found = 0;
    int idle = 0;
    LocalDate current = date;
    while (true) {
      current = current.plusDays(1);
      BusinessDay day = day(current);
      if (day.isWorkingDay()) {
        if (off != null) {
          off.flush(trace);
        }
        if (++found == n) {
          return day;
        }
        if (trace.on) {
          trace.add(TimeText.date(current) + ": " + day.describe() + " (working day " + (found + counted) + " of " + (n + counted) + ")");
        }
        idle = 0;
      } else {
        if (off != null) {
          off.add(day);
        }
        if (++idle > MAX_IDLE_DAYS) {
          throw noWorkingTime(date.atStartOfDay(zone).toInstant());
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------- warnings

  /**
   * The production-calendar years without data that {@code [from, to]} touches (in the tenant's
   * zone, in either order), each a warning that the fallback was used. Empty for calendars with
   * no production calendar and for 24x7 calendars.
   */
  public List<CalendarWarning> warningsFor(Instant from, Instant to) {
    if (production.isEmpty()) {
      return List.of();
    }
    Instant a = min(from, to);
    Instant b = max(from, to);
    ProductionCalendar calendar = production.get();
    List<CalendarWarning> warnings = new ArrayList<>(0);
    for (int year = dateOf(a).getYear(); year <= dateOf(b).getYear(); year++) {
      if (!calendar.hasYear(year)) {
        warnings.add(new CalendarWarning(calendar.id(), year, calendar.fallback()));
      }
    }
    return List.copyOf(warnings);
  }

  // ---------------------------------------------------------------------------------- helpers

  void describeStart(Instant start, Trace trace) {
    BusinessDay day = day(dateOf(start));
    String where;
    if (isWorking(start)) {
      where = "within working hours";
    } else if (!day.isWorkingDay()) {
      where = "on a day off";
    } else if (start.isBefore(day.start())) {
      where = "before working hours";
    } else if (!start.isBefore(day.end())) {
      where = "after working hours";
    } else {
      where = "in a break between working windows";
    }
    trace.add("start " + TimeText.instant(start, zone) + " " + zone.getId() + ": " + where + "; "
        + TimeText.date(day.date()) + " is a " + day.describe());
  }

  private void traceDay(BusinessDay day, Duration used, Duration done, Duration total, OffRun off, Trace trace) {
    if (!day.isWorkingDay()) {
      off.add(day);
      return;
    }
    off.flush(trace);
    if (used.isZero()) {
      trace.add(TimeText.date(day.date()) + ": " + day.describe() + ", no working time after the start");
      return;
    }
    trace.add(TimeText.date(day.date()) + ": " + day.describe() + ", +" + TimeText.duration(used)
        + " (" + TimeText.duration(done) + " of " + TimeText.duration(total) + ")");
  }

  /** Consecutive days off, told as one line: "Fri 1 May 2026 - Sun 3 May 2026: off (holiday, weekend)". */
  private static final class OffRun {
    private BusinessDay first;
    private BusinessDay last;
    private final List<String> reasons = new ArrayList<>();

    void add(BusinessDay day) {
      if (first == null) {
        first = day;
      }
      last = day;
      String reason = day.describe();
      if (!reasons.contains(reason)) {
        reasons.add(reason);
      }
    }

    void flush(Trace trace) {
      if (first == null) {
        return;
      }
      String span = first == last
          ? TimeText.date(first.date())
          : TimeText.date(first.date()) + " - " + TimeText.date(last.date());
      trace.add(span + ": off (" + String.join("; ", reasons) + ")");
      first = null;
      last = null;
      reasons.clear();
    }
  }

  private static String ordinal(int n) {
    int mod100 = n % 100;
    String suffix = mod100 >= 11 && mod100 <= 13 ? "th"
        : switch (n % 10) { case 1 -> "st"; case 2 -> "nd"; case 3 -> "rd"; default -> "th"; };
    return n + suffix;
  }

  private IllegalStateException noWorkingTime(Instant from) {
    return new IllegalStateException("no working time within " + MAX_IDLE_DAYS + " days of "
        + from + " in this calendar (" + zone + ")");
  }

  private static void requireNonNegative(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative working time: " + duration);
    }
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  @Override
  public String toString() {
    return "BusinessCalendar[" + zone + (spec.alwaysOpen() ? ", 24x7" : "")
        + production.map(p -> ", production calendar " + p.id()).orElse("") + "]";
  }
}
