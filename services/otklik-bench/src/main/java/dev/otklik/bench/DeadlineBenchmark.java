package dev.otklik.bench;

import dev.otklik.core.tenant.DurationUnit;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.core.time.Deadline;
import dev.otklik.core.time.DeadlineCalculator;
import dev.otklik.core.time.ProductionCalendar;
import dev.otklik.tenant.TenantConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * SLA deadline maths on the seed tenants' real SLA tables.
 *
 * <ul>
 *   <li><b>compute</b>: due instants for random (target, start) pairs across 2025-2026, every
 *       target of ЦИК-Алекон, АСМО and ИМЦ with a computable unit. The same-run baseline adds the
 *       target's nominal length as plain clock time ({@code Instant.plus}), the least any
 *       deadline can cost, so the ratio is what business time costs on top.
 *   <li><b>explain</b>: the same with the step-by-step explanation built.
 *   <li><b>recompute-100k</b>: a calendar change (one more day off) reaches 100,000 open ИМЦ
 *       requests: a fresh calendar (cold caches) recomputes every due instant. CPU only; the
 *       database writes of a real recalculation are not included.
 * </ul>
 */
final class DeadlineBenchmark {

  private static final int OPS = 200_000;
  private static final int OPEN_REQUESTS = 100_000;
  private static final Set<DurationUnit> NOT_COMPUTED =
      EnumSet.of(DurationUnit.BY_AGREEMENT, DurationUnit.FOLLOWING_PLANNED_RELEASE);

  private final Path tenantConfig;

  DeadlineBenchmark(Path tenantConfig) {
    this.tenantConfig = tenantConfig;
  }

  /** One timed operation: a calculator, a target, a start. */
  private record Case(DeadlineCalculator calculator, SlaTarget target, Instant start, long nominalSeconds) {}

  void run(PrintStream out) {
    TenantConfigLoader loader = new TenantConfigLoader(tenantConfig);
    ProductionCalendar ru = loader.loadCalendar(tenantConfig.resolve("calendars/ru.yaml"));
    Map<String, ProductionCalendar> calendars = Map.of("ru", ru);
    Random random = new Random(42);

    List<Case> cases = new ArrayList<>();
    Map<String, TenantConfig> tenants = new HashMap<>();
    for (String id : List.of("cik-alekon", "asmo", "imc")) {
      TenantConfig tenant = loader.loadTenant(tenantConfig.resolve(id + ".yaml"), calendars);
      tenants.put(id, tenant);
    }
    List<Case> pool = new ArrayList<>();
    for (TenantConfig tenant : tenants.values()) {
      DeadlineCalculator calculator = DeadlineCalculator.forTenant(tenant, calendars);
      for (SlaTarget target : targets(tenant)) {
        pool.add(new Case(calculator, target, null, nominalSeconds(target)));
      }
    }
    Instant from = Instant.parse("2025-01-01T00:00:00Z");
    long span = Instant.parse("2026-12-01T00:00:00Z").getEpochSecond() - from.getEpochSecond();
    for (int i = 0; i < OPS; i++) {
      Case c = pool.get(random.nextInt(pool.size()));
      cases.add(new Case(c.calculator(), c.target(), from.plusSeconds((long) (random.nextDouble() * span)),
          c.nominalSeconds()));
    }

    Measure.Result baseline = Measure.median(() -> {
      long sum = 0;
      for (Case c : cases) {
        sum += c.start().plusSeconds(c.nominalSeconds()).getEpochSecond();
      }
      return sum;
    });
    Measure.Result compute = Measure.median(() -> {
      long sum = 0;
      for (Case c : cases) {
        sum += due(c.calculator().compute(c.target(), c.start()));
      }
      return sum;
    });
    List<Case> explained = cases.subList(0, OPS / 10);
    Measure.Result explain = Measure.median(() -> {
      long sum = 0;
      for (Case c : explained) {
        Deadline d = c.calculator().explain(c.target(), c.start());
        sum += due(d) + d.explanation().lines().size();
      }
      return sum;
    });

    TenantConfig imc = tenants.get("imc");
    List<SlaTarget> imcTargets = targets(imc);
    Instant openFrom = Instant.parse("2026-09-01T06:00:00Z");
    List<SlaTarget> openTargets = new ArrayList<>();
    List<Instant> openStarts = new ArrayList<>();
    for (int i = 0; i < OPEN_REQUESTS; i++) {
      openTargets.add(imcTargets.get(random.nextInt(imcTargets.size())));
      openStarts.add(openFrom.plusSeconds(random.nextInt(90 * 24 * 3600)));
    }
    ProductionCalendar changed = withExtraDayOff(ru, LocalDate.of(2026, 12, 30));
    Measure.Result recompute = Measure.median(() -> {
      // A calendar change means a new calendar: no day cached from before the change.
      DeadlineCalculator fresh = new DeadlineCalculator(
          BusinessCalendar.of(imc.calendar(), Optional.of(changed)), imc.releases());
      long sum = 0;
      for (int i = 0; i < OPEN_REQUESTS; i++) {
        sum += due(fresh.compute(openTargets.get(i), openStarts.get(i)));
      }
      return sum;
    });

    out.printf("deadlines: %d targets of cik-alekon, asmo, imc; %d computations per run, median of %d runs%n",
        pool.size(), OPS, Measure.ROUNDS);
    row(out, "baseline: clock deadline (Instant.plus)", OPS, baseline, baseline);
    row(out, "compute: business-time deadline", OPS, compute, baseline);
    row(out, "explain: deadline with explanation", OPS / 10, explain, baseline);
    out.printf("recompute-100k: %d open imc requests after a calendar change: median %.1f ms (%.2f µs per request; min %.1f, max %.1f ms)%n",
        OPEN_REQUESTS, recompute.medianNanos() / 1e6, recompute.medianNanos() / 1e3 / OPEN_REQUESTS,
        recompute.minNanos() / 1e6, recompute.maxNanos() / 1e6);
    out.printf("(checksums %d %d %d %d)%n", baseline.checksum(), compute.checksum(), explain.checksum(),
        recompute.checksum());
  }

  private static void row(PrintStream out, String name, int ops, Measure.Result r, Measure.Result baseline) {
    double perOpNanos = (double) r.medianNanos() / ops;
    double baselinePerOp = (double) baseline.medianNanos() / OPS;
    out.printf("  %-42s %,14.0f ops/s  %8.3f µs/op  x%.1f baseline%n",
        name, 1e9 / perOpNanos, perOpNanos / 1e3, perOpNanos / baselinePerOp);
  }

  private static List<SlaTarget> targets(TenantConfig tenant) {
    List<SlaTarget> targets = new ArrayList<>(tenant.sla().commonTargets());
    tenant.sla().cells().forEach(cell -> targets.addAll(cell.targets()));
    targets.removeIf(t -> NOT_COMPUTED.contains(t.duration().unit()));
    return targets;
  }

  /** The target's length read as clock time: what a calendar-blind desk would compute. */
  private static long nominalSeconds(SlaTarget target) {
    long amount = target.duration().amount();
    return switch (target.duration().unit()) {
      case CLOCK_MINUTES, WORKING_MINUTES -> amount * 60;
      case CLOCK_HOURS, WORKING_HOURS -> amount * 3600;
      case CALENDAR_DAYS, WORKING_DAYS -> amount * 86_400;
      case MONTHS -> amount * 30 * 86_400;
      case YEARS -> amount * 365 * 86_400;
      default -> 86_400; // end of working day, next release: a day, for the baseline only
    };
  }

  private static long due(Deadline deadline) {
    return deadline.dueAt().map(Instant::getEpochSecond).orElse(0L);
  }

  private static ProductionCalendar withExtraDayOff(ProductionCalendar calendar, LocalDate day) {
    Map<Integer, ProductionCalendar.YearData> years = new HashMap<>(calendar.years());
    ProductionCalendar.YearData year = years.get(day.getYear());
    Set<LocalDate> daysOff = new HashSet<>(year.daysOff());
    daysOff.add(day);
    years.put(day.getYear(), new ProductionCalendar.YearData(
        year.source(), daysOff, year.workingDays(), year.shortenedDays()));
    return new ProductionCalendar(calendar.id(), calendar.name(), calendar.fallback(), years);
  }
}
