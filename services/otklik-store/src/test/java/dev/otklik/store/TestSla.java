package dev.otklik.store;

import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.tenant.Branding;
import dev.otklik.core.tenant.CalendarSpec;
import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.EmailIntake;
import dev.otklik.core.tenant.Identity;
import dev.otklik.core.tenant.Intake;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.Release;
import dev.otklik.core.tenant.ReleaseType;
import dev.otklik.core.tenant.Satisfaction;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.SlaCell;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaPolicy;
import dev.otklik.core.tenant.SlaPolicyKind;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TargetType;
import dev.otklik.core.tenant.Taxonomy;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.TimeWindow;
import dev.otklik.core.tenant.UnregisteredSenderAction;
import dev.otklik.core.tenant.Workflow;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.core.time.CalendarFallback;
import dev.otklik.core.time.DeadlineCalculator;
import dev.otklik.core.time.ProductionCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A seed-like SLA for tests, after ИМЦ (tenant-config/imc.yaml): Moscow 09:00-18:00 on the
 * Russian production calendar (2026: 12 June a holiday, 11 June shortened by an hour), triage
 * within 1 working day of registration for every request, and for error/urgent a solution
 * within 1 working day of the end of triage (warning 4 working hours before), acceptance and
 * remarks within 1 working day each; error/normal by the next planned release (15 Dec 2026);
 * the customer answers a clarification within 3 working days. Vendor clocks pause while the
 * request waits for the customer.
 */
public final class TestSla {

  public static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
  public static final String VERSION = "test-2026.1";

  private TestSla() {}

  public static ProductionCalendar ru2026() {
    return production(dates("2026-01-01", "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08",
        "2026-01-09", "2026-02-23", "2026-03-09", "2026-05-01", "2026-05-11", "2026-06-12", "2026-11-04",
        "2026-12-31"), dates("2026-04-30", "2026-05-08", "2026-06-11", "2026-11-03"));
  }

  /** A production calendar whose only data are these days off (weekdays) and shortened days. */
  public static ProductionCalendar production(Set<LocalDate> daysOff, Set<LocalDate> shortened) {
    Map<Integer, ProductionCalendar.YearData> years = new TreeMap<>();
    Set<Integer> all = new TreeSet<>();
    daysOff.forEach(d -> all.add(d.getYear()));
    shortened.forEach(d -> all.add(d.getYear()));
    all.add(LocalDate.now().getYear());
    all.add(LocalDate.now().getYear() + 1);
    all.add(2026);
    for (int year : all) {
      years.put(year, new ProductionCalendar.YearData("test",
          filter(daysOff, year), Set.of(), filter(shortened, year)));
    }
    return new ProductionCalendar("ru", LocalizedText.of("Тест", "Test"), CalendarFallback.WEEKENDS_ONLY, years);
  }

  public static CalendarSpec spec() {
    Map<DayOfWeek, List<TimeWindow>> hours = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
        DayOfWeek.FRIDAY)) {
      hours.put(day, List.of(TimeWindow.parse("09:00-18:00")));
    }
    return new CalendarSpec(MOSCOW, Optional.of("ru"), false, hours, List.of(TimeWindow.parse("09:00-18:00")),
        Duration.ofMinutes(60));
  }

  public static BusinessCalendar calendar() {
    return calendar(ru2026());
  }

  public static BusinessCalendar calendar(ProductionCalendar production) {
    return BusinessCalendar.of(spec(), Optional.of(production));
  }

  public static List<Release> releases() {
    return List.of(new Release("2026.4", ReleaseType.PLANNED, LocalDate.parse("2026-12-15"), Optional.empty()));
  }

  public static SlaTarget target(String id, TargetType type, Side side, ClockStart start, ClockStop stop,
      String duration, String warn) {
    return new SlaTarget(id, type, side, start, stop, SlaDuration.parse(duration),
        Optional.ofNullable(warn).map(SlaDuration::parse), Optional.empty());
  }

  public static SlaPolicy policy() {
    SlaTarget triage = target("triage", TargetType.TRIAGE, Side.VENDOR, ClockStart.REGISTERED,
        ClockStop.TRIAGE_FINISHED, "1 working-days", null);
    SlaTarget clarification = target("clarification-answer", TargetType.CLARIFICATION_ANSWER, Side.CUSTOMER,
        ClockStart.CLARIFICATION_REQUESTED, ClockStop.CUSTOMER_REPLIED, "3 working-days", null);
    SlaCell urgent = new SlaCell("error-urgent", Map.of("category", "error", "priority", "urgent"), Optional.empty(),
        false, List.of(
            target("resolution", TargetType.RESOLUTION, Side.VENDOR, ClockStart.TRIAGE_FINISHED,
                ClockStop.SOLUTION_DELIVERED, "1 working-days", "4 working-hours"),
            target("customer-acceptance", TargetType.CUSTOMER_ACCEPTANCE, Side.CUSTOMER,
                ClockStart.SOLUTION_DELIVERED, ClockStop.SOLUTION_ACCEPTED_OR_RETURNED, "1 working-days",
                "4 working-hours"),
            target("remarks-fix", TargetType.REMARKS_FIX, Side.VENDOR, ClockStart.REMARKS_RECEIVED,
                ClockStop.SOLUTION_DELIVERED, "1 working-days", "4 working-hours")));
    SlaCell normal = new SlaCell("error-normal", Map.of("category", "error", "priority", "normal"), Optional.empty(),
        false, List.of(target("resolution", TargetType.RESOLUTION, Side.VENDOR, ClockStart.TRIAGE_FINISHED,
            ClockStop.SOLUTION_DELIVERED, "next-planned-release", null)));
    return new SlaPolicy(SlaPolicyKind.MATRIX, VERSION, Optional.empty(), Set.of(WorkflowStatus.WAITING_FOR_CUSTOMER),
        true, List.of(triage, clarification), List.of(urgent, normal));
  }

  public static SlaClocks clocks() {
    return new SlaClocks(policy(), new DeadlineCalculator(calendar(), releases()));
  }

  /** A whole tenant config around {@link #policy()}, for API tests whose TenantSource gives typed configs. */
  public static TenantConfig tenantConfig(String id) {
    return new TenantConfig(id, true, "ACME", Language.RU,
        new Identity(LocalizedText.of("Тест", "Test"), LocalizedText.of("Тест", "Test"), Optional.empty(),
            Optional.empty()),
        new Branding("#1d4f91", "#f2a900", Optional.empty(), List.of()), List.of(), spec(),
        new Taxonomy(List.of(), List.of(), List.of(), List.of(), Set.of()), Optional.empty(), List.of(), policy(),
        new Workflow(List.of(), Optional.empty(), true, List.of()),
        new Intake(new EmailIntake(UnregisteredSenderAction.REGISTER, Optional.empty()), Optional.empty(), List.of()),
        Optional.empty(), releases(), List.of(), Map.of());
  }

  /** As {@link #tenantConfig(String)}, and the tenant runs the customer-satisfaction survey {@code satisfaction}. */
  public static TenantConfig tenantConfig(String id, Satisfaction satisfaction) {
    TenantConfig c = tenantConfig(id);
    return new TenantConfig(c.id(), c.enabled(), c.requestNumberPrefix(), c.defaultLocale(), c.identity(), c.branding(),
        c.channels(), c.calendar(), c.taxonomy(), c.requestForm(), c.catalogue(), c.sla(), c.workflow(), c.intake(),
        c.contract(), c.releases(), c.library(), c.notifications(), c.webhooks(), c.signIn(), Optional.of(satisfaction));
  }

  public static Set<LocalDate> dates(String... dates) {
    Set<LocalDate> out = new TreeSet<>();
    for (String d : dates) {
      out.add(LocalDate.parse(d));
    }
    return out;
  }

  private static Set<LocalDate> filter(Set<LocalDate> dates, int year) {
    Set<LocalDate> out = new TreeSet<>();
    dates.stream().filter(d -> d.getYear() == year).forEach(out::add);
    return out;
  }
}
