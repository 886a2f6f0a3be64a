package dev.otklik.core.sla;

import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.DurationUnit;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.SlaCell;
import dev.otklik.core.tenant.SlaPolicy;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.tenant.WorkflowTimer;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.core.time.Deadline;
import dev.otklik.core.time.DeadlineCalculator;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The SLA clocks of requests of one tenant: which targets a request gets, and how each change of
 * the request starts, stops, pauses and resumes them. Pure and fast (no I/O): the store calls it
 * inside the transaction of the change. Immutable.
 *
 * <p>Rules chosen:
 * <ul>
 *   <li>A request gets its tenant's {@code common-targets} and the targets of the cell
 *       {@link SlaPolicy#cellFor} picks for its attributes; a cell target overrides a common one
 *       with the same id.
 *   <li>A start event (re)starts a clock that is not ticking (pending, met or breached), so the
 *       customer's acceptance clock restarts with every new proposal. A ticking clock is left
 *       alone. {@code registered}, {@code first-contact} and {@code triage-finished} happen once
 *       per request: once a clock has started on one, it is not started on it again.
 *   <li>In one change, starts apply before stops: a clock started and stopped by the same change
 *       is met at once.
 *   <li>Stopping: met when at or before the due instant (or without one), breached after it.
 *       {@code close}/{@code cancel} stop every ticking clock; pending ones stay pending.
 *   <li>Pausing: while the request is in a {@code pause-vendor-clocks-while} status, the vendor's
 *       running clocks are paused. On resume the due (and warn) instant moves later by the time
 *       waited: working time ({@link BusinessCalendar#workingTimeBetween}, then
 *       {@link BusinessCalendar#addWorking}) for working units, elapsed time for clock and
 *       calendar units. Release dates and by-agreement clocks do not move. Customer clocks never
 *       pause.
 * </ul>
 */
public final class SlaClocks {

  private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("EEE d MMM uuuu HH:mm", Locale.ENGLISH);
  private static final Set<ClockStart> ONCE = Set.of(ClockStart.REGISTERED, ClockStart.FIRST_CONTACT,
      ClockStart.TRIAGE_FINISHED);

  private final SlaPolicy policy;
  private final DeadlineCalculator calculator;
  private final List<WorkflowTimer> timers;
  private final List<String> priorities;

  public SlaClocks(SlaPolicy policy, DeadlineCalculator calculator) {
    this(policy, calculator, List.of());
  }

  /** With the tenant's {@code workflow.timers}, armed and cancelled by the same events as the clocks. */
  public SlaClocks(SlaPolicy policy, DeadlineCalculator calculator, List<WorkflowTimer> timers) {
    this(policy, calculator, timers, List.of());
  }

  /** And the taxonomy's priority ids, highest first, which an escalation may raise a request along. */
  public SlaClocks(SlaPolicy policy, DeadlineCalculator calculator, List<WorkflowTimer> timers,
      List<String> priorities) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.calculator = Objects.requireNonNull(calculator, "calculator");
    this.timers = List.copyOf(timers);
    this.priorities = List.copyOf(priorities);
  }

  /** The tenant's priority ids, highest first (empty when not given). */
  public List<String> priorities() {
    return priorities;
  }

  /** The tenant's workflow timers. */
  public List<WorkflowTimer> timers() {
    return timers;
  }

  /**
   * When {@code timer}, armed at {@code start}, fires; empty when its duration gives no instant
   * (by agreement, or a release that is not scheduled).
   */
  public Optional<Instant> timerDue(WorkflowTimer timer, Instant start) {
    return calculator.compute(timer.after(), start).dueAt();
  }

  public SlaPolicy policy() {
    return policy;
  }

  public BusinessCalendar calendar() {
    return calculator.calendar();
  }

  /** The cell for these attributes ({@code kind}, {@code category}, {@code priority}, {@code severity}, {@code service}). */
  public Optional<SlaCell> cellFor(Map<String, String> attributes) {
    return policy.cellFor(withoutNulls(attributes));
  }

  /** Every target a request with these attributes gets, each as a pending clock. */
  public List<SlaClock> plan(Map<String, String> attributes) {
    Map<String, SlaClock> out = new LinkedHashMap<>();
    for (SlaTarget t : policy.commonTargets()) {
      out.put(t.id(), SlaClock.pending(t, null));
    }
    cellFor(attributes).ifPresent(cell -> cell.targets().forEach(t -> out.put(t.id(), SlaClock.pending(t, cell.id()))));
    return List.copyOf(out.values());
  }

  /** The clocks after {@code event} at {@code now}; same order, one entry per clock. */
  public List<SlaClock> apply(List<SlaClock> clocks, SlaEvent event, Instant now) {
    Map<ClockStart, Instant> happened = happened(clocks, null);
    List<SlaClock> out = new ArrayList<>();
    for (SlaClock c : clocks) {
      SlaClock next = c;
      boolean once = ONCE.contains(c.startsOn()) && happened.containsKey(c.startsOn());
      if (event.starts().contains(c.startsOn()) && !c.status().isTicking() && !once) {
        next = start(next, now, now);
      }
      if (next.status().isTicking() && (event.stopAll() || event.stops().contains(next.stopsOn()))) {
        next = stop(next, now);
      }
      if (event.status() != null) {
        next = pauseOrResume(next, event.status(), now);
      }
      out.add(next);
    }
    return out;
  }

  /**
   * When each start event first happened, as far as the clocks show ({@code registered} at
   * {@code createdAt} when given).
   */
  public static Map<ClockStart, Instant> happened(List<SlaClock> clocks, Instant createdAt) {
    Map<ClockStart, Instant> out = new EnumMap<>(ClockStart.class);
    if (createdAt != null) {
      out.put(ClockStart.REGISTERED, createdAt);
      out.put(ClockStart.FIRST_CONTACT, createdAt);
    }
    for (SlaClock c : clocks) {
      if (c.startedAt() != null) {
        out.merge(c.startsOn(), c.startedAt(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    return out;
  }

  /** The outcome of a re-targeting: the clocks now, and the targets dropped (their rows go). */
  public record Retarget(List<SlaClock> clocks, List<String> removed) {}

  /**
   * The request's attributes changed: its targets become those of the new cell. A clock still
   * open whose target stays is recomputed from its original start with the new figure (plus the
   * pauses it already had); a new target whose start event already happened starts from that
   * event's time; open clocks of targets no longer owed are removed. Met and breached clocks are
   * history and stay as they are.
   */
  public Retarget retarget(List<SlaClock> clocks, Map<String, String> attributes, Instant createdAt,
      WorkflowStatus status, Instant now) {
    Map<ClockStart, Instant> happened = happened(clocks, createdAt);
    Map<String, SlaClock> existing = new LinkedHashMap<>();
    clocks.forEach(c -> existing.put(c.targetId(), c));
    List<SlaClock> out = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<SlaClock> planned = plan(attributes);
    for (SlaClock p : planned) {
      SlaClock e = existing.remove(p.targetId());
      if (e != null && !e.status().isOpen()) {
        out.add(e);
        continue;
      }
      Instant from = e != null && e.startedAt() != null ? e.startedAt() : happened.get(p.startsOn());
      SlaClock next = p;
      if (from != null) {
        next = start(p, from, now);
        Duration paused = e == null ? Duration.ZERO : e.pausedTotal();
        if (!paused.isZero() && next.dueAt() != null) {
          next = shift(next, paused, "pauses so far");
        }
        if (!paused.isZero()) {
          // keep the pauses on record, so a later re-targeting counts them again
          next = next.with(next.status(), next.startedAt(), next.pausedAt(), paused, next.dueAt(), next.warnAt(),
              next.metAt(), next.breachedAt(), next.explanation());
        }
        if (e != null && e.status() == ClockStatus.PAUSED && next.status() == ClockStatus.RUNNING) {
          next = next.with(ClockStatus.PAUSED, next.startedAt(), e.pausedAt(), next.pausedTotal(), next.dueAt(),
              next.warnAt(), null, null, next.explanation());
        } else if (status != null) {
          next = pauseOrResume(next, status, now);
        }
      }
      out.add(next);
    }
    for (SlaClock left : existing.values()) {
      if (left.status().isOpen()) {
        removed.add(left.targetId());
      } else {
        out.add(left);
      }
    }
    return new Retarget(out, removed);
  }

  /**
   * Business time left until the clock's due instant at {@code now}, negative once past; empty
   * when it is not ticking or has no due instant. A paused clock's due instant moves on resume by
   * the time waited, so what is left stays as it was when the pause began.
   */
  public static Optional<Duration> remaining(SlaClock clock, BusinessCalendar calendar, Instant now) {
    if (clock.dueAt() == null || !clock.status().isTicking()) {
      return Optional.empty();
    }
    Instant at = clock.status() == ClockStatus.PAUSED ? clock.pausedAt() : now;
    return Optional.of(calendar.workingTimeBetween(at, clock.dueAt()));
  }

  private SlaClock start(SlaClock c, Instant from, Instant now) {
    Deadline d = calculator.explain(c.target(), from);
    ClockStatus status = switch (d.status()) {
      case COMPUTED -> ClockStatus.RUNNING;
      case BY_AGREEMENT -> ClockStatus.BY_AGREEMENT;
      case NO_RELEASE_SCHEDULED -> ClockStatus.NOT_SCHEDULED;
    };
    List<String> lines = new ArrayList<>(d.explanation().lines());
    d.warnings().forEach(w -> lines.add("WARNING: " + w.message()));
    return c.with(status, from, null, Duration.ZERO, d.dueAt().orElse(null), d.warnAt().orElse(null), null, null,
        lines);
  }

  /**
   * The clocks after a customer-side deadline was missed at {@code now}: where the tenant's rule
   * frees the vendor ({@link SlaPolicy#customerDelayReleasesVendor()}), every vendor clock still
   * ticking is {@link ClockStatus#RELEASED}; otherwise the clocks unchanged.
   */
  public List<SlaClock> releaseVendorAfterCustomerDelay(List<SlaClock> clocks, String customerTarget, Instant now) {
    if (!policy.customerDelayReleasesVendor()) {
      return clocks;
    }
    List<SlaClock> out = new ArrayList<>();
    for (SlaClock c : clocks) {
      if (c.side() == Side.VENDOR && c.status().isTicking()) {
        List<String> lines = new ArrayList<>(c.explanation());
        lines.add("released " + text(now) + ": the customer missed " + customerTarget
            + " without excuse; by the tenant's rule the vendor's term is no longer binding");
        c = c.with(ClockStatus.RELEASED, c.startedAt(), null, c.pausedTotal(), c.dueAt(), c.warnAt(), null, null,
            lines);
      }
      out.add(c);
    }
    return out;
  }

  private SlaClock stop(SlaClock c, Instant now) {
    SlaClock running = c.status() == ClockStatus.PAUSED ? resume(c, now) : c;
    boolean late = running.dueAt() != null && now.isAfter(running.dueAt());
    List<String> lines = new ArrayList<>(running.explanation());
    lines.add("stopped " + text(now) + " (" + running.stopsOn().name().toLowerCase(Locale.ROOT).replace('_', '-')
        + "): " + (late ? "breached" : "met"));
    return running.with(late ? ClockStatus.BREACHED : ClockStatus.MET, running.startedAt(), null,
        running.pausedTotal(), running.dueAt(), running.warnAt(), now, late ? running.dueAt() : null, lines);
  }

  private SlaClock pauseOrResume(SlaClock c, WorkflowStatus status, Instant now) {
    if (c.side() != Side.VENDOR) {
      return c;
    }
    boolean pausing = policy.pauseVendorClocksWhile().contains(status);
    if (pausing && c.status() == ClockStatus.RUNNING) {
      List<String> lines = new ArrayList<>(c.explanation());
      lines.add("paused " + text(now) + ": the request waits for the customer");
      return c.with(ClockStatus.PAUSED, c.startedAt(), now, c.pausedTotal(), c.dueAt(), c.warnAt(), null, null, lines);
    }
    if (!pausing && c.status() == ClockStatus.PAUSED) {
      return resume(c, now);
    }
    return c;
  }

  private SlaClock resume(SlaClock c, Instant now) {
    Duration waited = waited(c, c.pausedAt(), now);
    SlaClock moved = shift(c, waited, "resumed " + text(now) + " after waiting since " + text(c.pausedAt()));
    return moved.with(ClockStatus.RUNNING, moved.startedAt(), null, c.pausedTotal().plus(waited), moved.dueAt(),
        moved.warnAt(), null, null, moved.explanation());
  }

  /** The time a pause from {@code from} to {@code to} is worth to this clock's unit. */
  private Duration waited(SlaClock c, Instant from, Instant to) {
    return switch (kind(c.duration().unit())) {
      case WORKING -> calendar().workingTimeBetween(from, to);
      case ELAPSED -> Duration.between(from, to);
      case FIXED -> Duration.ZERO;
    };
  }

  private SlaClock shift(SlaClock c, Duration by, String why) {
    Kind kind = kind(c.duration().unit());
    if (kind == Kind.FIXED || by.isZero() || c.dueAt() == null) {
      return c;
    }
    Instant due = kind == Kind.WORKING ? calendar().addWorking(c.dueAt(), by) : c.dueAt().plus(by);
    Instant warn = c.warnAt() == null ? null
        : kind == Kind.WORKING ? calendar().addWorking(c.warnAt(), by) : c.warnAt().plus(by);
    List<String> lines = new ArrayList<>(c.explanation());
    lines.add(why + ": " + (kind == Kind.WORKING ? "working" : "clock") + " time " + hm(by)
        + "; due moves to " + text(due));
    return c.with(c.status(), c.startedAt(), c.pausedAt(), c.pausedTotal(), due, warn, c.metAt(), c.breachedAt(),
        lines);
  }

  private enum Kind { WORKING, ELAPSED, FIXED }

  private static Kind kind(DurationUnit unit) {
    return switch (unit) {
      case WORKING_MINUTES, WORKING_HOURS, WORKING_DAYS, END_OF_WORKING_DAY -> Kind.WORKING;
      case CLOCK_MINUTES, CLOCK_HOURS, CALENDAR_DAYS, MONTHS, YEARS -> Kind.ELAPSED;
      default -> Kind.FIXED;
    };
  }

  private String text(Instant instant) {
    var local = instant.atZone(calendar().zone());
    return TEXT.format(local) + " (" + local.getOffset() + ")";
  }

  private static String hm(Duration d) {
    return d.toHours() + " h " + d.toMinutesPart() + " min";
  }

  private static Map<String, String> withoutNulls(Map<String, String> attributes) {
    Map<String, String> out = new LinkedHashMap<>();
    attributes.forEach((k, v) -> {
      if (v != null) {
        out.put(k, v);
      }
    });
    return out;
  }
}
