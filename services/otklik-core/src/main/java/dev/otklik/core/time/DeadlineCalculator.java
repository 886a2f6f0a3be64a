package dev.otklik.core.time;

import dev.otklik.core.tenant.DurationUnit;
import dev.otklik.core.tenant.Release;
import dev.otklik.core.tenant.ReleaseType;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TenantConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Turns an {@link SlaDuration} and the instant its clock starts into a due instant, on one
 * tenant's {@link BusinessCalendar} and release schedule. Immutable and thread-safe.
 *
 * <p>Units (tenant-config/README.md):
 * <ul>
 *   <li>{@code clock-minutes}, {@code clock-hours}: plain elapsed time.
 *   <li>{@code calendar-days}: the same local time N dates later in the tenant's zone (24 h
 *       each where the zone has no DST; 23 or 25 h across a DST change). A local time that
 *       does not exist is moved forward by the gap.
 *   <li>{@code months}, {@code years}: the same local time N months/years later; a day the
 *       month lacks is its last day (31 Jan + 1 month = 28/29 Feb).
 *   <li>{@code working-minutes}, {@code working-hours}: {@link BusinessCalendar#addWorking}.
 *   <li>{@code working-days}: {@link BusinessCalendar#addWorkingDays}.
 *   <li>{@code end-of-working-day}: {@link BusinessCalendar#endOfWorkingDay}.
 *   <li>{@code next-planned-release}, {@code next-unplanned-release}: the first release of that
 *       type dated after the local date the clock starts on (a release dated that same day does
 *       not count: its content is fixed by then), due at the end of that date's working day, or
 *       at the end of the date (24:00) when it has no working hours. No such release: status
 *       {@link Deadline.Status#NO_RELEASE_SCHEDULED}.
 *   <li>{@code by-agreement}, {@code following-planned-release}: no computed due instant, status
 *       {@link Deadline.Status#BY_AGREEMENT}.
 * </ul>
 * Warn-before lead times subtract the same way: clock and calendar units in plain or local
 * time, {@code working-minutes/hours} with {@link BusinessCalendar#subtractWorking},
 * {@code working-days} with {@link BusinessCalendar#subtractWorkingDays}.
 *
 * <p>{@code compute} builds no text; {@code explain} gives the same result with its
 * {@link Explanation}.
 */
public final class DeadlineCalculator {

  private final BusinessCalendar calendar;
  private final List<Release> releases;

  /** @param releases the tenant's release schedule, in any order */
  public DeadlineCalculator(BusinessCalendar calendar, List<Release> releases) {
    this.calendar = Objects.requireNonNull(calendar, "calendar");
    List<Release> sorted = new ArrayList<>(releases);
    sorted.sort(Comparator.comparing(Release::date));
    this.releases = List.copyOf(sorted);
  }

  /** The calculator of a loaded tenant: its calendar (with its production calendar) and releases. */
  public static DeadlineCalculator forTenant(TenantConfig tenant, Map<String, ProductionCalendar> calendars) {
    return new DeadlineCalculator(BusinessCalendar.forTenant(tenant, calendars), tenant.releases());
  }

  public BusinessCalendar calendar() {
    return calendar;
  }

  /** The deadline of a duration, without explanation. */
  public Deadline compute(SlaDuration duration, Instant start) {
    return compute(duration, Optional.empty(), start, Trace.OFF);
  }

  /** The deadline of a target (with its warn-before), without explanation. */
  public Deadline compute(SlaTarget target, Instant start) {
    return compute(target.duration(), target.warnBefore(), start, Trace.OFF);
  }

  /** As {@link #compute(SlaDuration, Instant)}, with the steps. */
  public Deadline explain(SlaDuration duration, Instant start) {
    return compute(duration, Optional.empty(), start, Trace.on());
  }

  /** As {@link #compute(SlaTarget, Instant)}, with the steps. */
  public Deadline explain(SlaTarget target, Instant start) {
    return compute(target.duration(), target.warnBefore(), start, Trace.on());
  }

  private Deadline compute(SlaDuration duration, Optional<SlaDuration> warnBefore, Instant start, Trace trace) {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(start, "start");
    if (trace.on) {
      trace.add("duration " + duration);
    }
    DurationUnit unit = duration.unit();
    int amount = duration.amount();
    Instant due;
    switch (unit) {
      case CLOCK_MINUTES, CLOCK_HOURS -> {
        due = start.plus(duration.toClockDuration());
        if (trace.on) {
          trace.add("start " + TimeText.instant(start, calendar.zone()) + "; clock time ignores the calendar: +"
              + TimeText.duration(duration.toClockDuration()));
        }
      }
      case CALENDAR_DAYS -> due = zoned(start, trace, z -> z.plusDays(amount), amount + " calendar day(s)");
      case MONTHS -> due = zoned(start, trace, z -> z.plusMonths(amount), amount + " month(s)");
      case YEARS -> due = zoned(start, trace, z -> z.plusYears(amount), amount + " year(s)");
      case WORKING_MINUTES -> due = calendar.addWorking(start, Duration.ofMinutes(amount), trace);
      case WORKING_HOURS -> due = calendar.addWorking(start, Duration.ofHours(amount), trace);
      case WORKING_DAYS -> due = calendar.addWorkingDays(start, amount, trace);
      case END_OF_WORKING_DAY -> due = calendar.endOfWorkingDay(start, trace);
      case NEXT_PLANNED_RELEASE, NEXT_UNPLANNED_RELEASE -> {
        ReleaseType type = unit.releaseType().orElseThrow();
        LocalDate startDate = calendar.dateOf(start);
        Optional<Release> next = releases.stream()
            .filter(r -> r.type() == type && r.date().isAfter(startDate)).findFirst();
        if (next.isEmpty()) {
          if (trace.on) {
            trace.add("start " + TimeText.instant(start, calendar.zone()) + "; no " + typeName(type)
                + " release is scheduled after " + TimeText.date(startDate) + ": no due date until one is added");
          }
          return new Deadline(duration, start, Deadline.Status.NO_RELEASE_SCHEDULED, Optional.empty(),
              Optional.empty(), trace.explanation(), calendar.warningsFor(start, start));
        }
        due = releaseDue(next.get(), start, trace);
      }
      case BY_AGREEMENT, FOLLOWING_PLANNED_RELEASE -> {
        if (trace.on) {
          trace.add(unit == DurationUnit.BY_AGREEMENT
              ? "by agreement: no fixed figure; an agent sets a planned date, possibly agreed with the customer"
              : "one of the following planned releases, chosen by agreement: an agent sets the planned date"
                  + " (it must be a planned release date)");
        }
        return new Deadline(duration, start, Deadline.Status.BY_AGREEMENT, Optional.empty(), Optional.empty(),
            trace.explanation(), List.of());
      }
      default -> throw new IllegalStateException("unknown unit " + unit);
    }
    Optional<Instant> warnAt = warnBefore.map(w -> warnAt(due, w, trace));
    List<CalendarWarning> warnings = readsCalendar(unit) ? calendar.warningsFor(start, due) : List.of();
    if (trace.on) {
      warnings.forEach(w -> trace.add("WARNING: " + w.message()));
    }
    return new Deadline(duration, start, Deadline.Status.COMPUTED, Optional.of(due), warnAt, trace.explanation(),
        warnings);
  }

  private Instant releaseDue(Release release, Instant start, Trace trace) {
    BusinessDay day = calendar.day(release.date());
    Instant due = day.isWorkingDay()
        ? day.end()
        : release.date().plusDays(1).atStartOfDay(calendar.zone()).toInstant();
    if (trace.on) {
      trace.add("start " + TimeText.instant(start, calendar.zone()) + "; the next " + typeName(release.type())
          + " release after " + TimeText.date(calendar.dateOf(start)) + " is " + release.id() + " on "
          + TimeText.date(release.date()) + " (" + day.describe() + ")");
      trace.add(day.isWorkingDay()
          ? "due at the end of the release date's working day: " + TimeText.instant(due, calendar.zone())
          : "the release date has no working hours: due at the end of that date, " + TimeText.instant(due, calendar.zone()));
    }
    return due;
  }

  private Instant warnAt(Instant due, SlaDuration before, Trace trace) {
    int amount = before.amount();
    Instant warn = switch (before.unit()) {
      case CLOCK_MINUTES, CLOCK_HOURS -> due.minus(before.toClockDuration());
      case CALENDAR_DAYS -> due.atZone(calendar.zone()).minusDays(amount).toInstant();
      case MONTHS -> due.atZone(calendar.zone()).minusMonths(amount).toInstant();
      case YEARS -> due.atZone(calendar.zone()).minusYears(amount).toInstant();
      case WORKING_MINUTES -> calendar.subtractWorking(due, Duration.ofMinutes(amount));
      case WORKING_HOURS -> calendar.subtractWorking(due, Duration.ofHours(amount));
      case WORKING_DAYS -> calendar.subtractWorkingDays(due, amount);
      default -> throw new IllegalArgumentException("warn-before " + before + " is not a lead time");
    };
    if (trace.on) {
      trace.add("warn " + before + " before: " + TimeText.instant(warn, calendar.zone()));
    }
    return warn;
  }

  private Instant zoned(Instant start, Trace trace, UnaryOperator<ZonedDateTime> step, String what) {
    ZonedDateTime from = start.atZone(calendar.zone());
    Instant due = step.apply(from).toInstant();
    if (trace.on) {
      trace.add("start " + TimeText.instant(start, calendar.zone()) + "; " + what
          + " later at the same local time, holidays included");
      trace.add("due " + TimeText.instant(due, calendar.zone()));
    }
    return due;
  }

  /** Clock and calendar units count holidays like any day, so a missing year does not matter to them. */
  private static boolean readsCalendar(DurationUnit unit) {
    return switch (unit) {
      case CLOCK_MINUTES, CLOCK_HOURS, CALENDAR_DAYS, MONTHS, YEARS -> false;
      default -> true;
    };
  }

  private static String typeName(ReleaseType type) {
    return type == ReleaseType.PLANNED ? "planned" : "unplanned";
  }
}
