package dev.otklik.core.time;

import dev.otklik.core.tenant.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One date of a tenant's business calendar, resolved: what kind of day it is and its working
 * windows, both as local times and as instants. Immutable; built by {@link BusinessCalendar#day}.
 *
 * <p>Window boundaries are resolved to instants in the tenant's zone as follows: a local time
 * that does not exist (inside a DST gap) is the instant the gap ends, so a window reaching into
 * a gap loses exactly the skipped minutes; a local time that exists twice (inside a DST
 * overlap) is its first occurrence (the earlier offset). A window that spans a whole gap or
 * overlap is therefore one hour shorter or longer in real time, which is what a clock on the
 * wall shows. Windows left empty or overlapping by that resolution are clipped.
 */
public final class BusinessDay {

  /** What kind of day a date is. */
  public enum Type {
    /** A day of the week with weekly hours. */
    WORKING,
    /** A weekend day (or any day without weekly hours) the production calendar makes a working day. */
    TRANSFERRED_WORKING,
    /** A day of the week without weekly hours. */
    WEEKEND,
    /** A day off of the production calendar (public holiday or transferred day off). */
    HOLIDAY,
    /** A 24x7 tenant: the whole day is working time. */
    ALWAYS_OPEN
  }

  private final LocalDate date;
  private final Type type;
  private final boolean shortened;
  private final boolean covered;
  private final List<TimeWindow> hours;
  private final Instant[] starts;
  private final Instant[] ends;
  private final Duration workingTime;

  BusinessDay(
      LocalDate date, Type type, boolean shortened, boolean covered, List<TimeWindow> hours,
      Instant[] starts, Instant[] ends) {
    this.date = Objects.requireNonNull(date, "date");
    this.type = Objects.requireNonNull(type, "type");
    this.shortened = shortened;
    this.covered = covered;
    this.hours = List.copyOf(hours);
    this.starts = starts;
    this.ends = ends;
    Duration total = Duration.ZERO;
    for (int i = 0; i < starts.length; i++) {
      total = total.plus(Duration.between(starts[i], ends[i]));
    }
    this.workingTime = total;
  }

  public LocalDate date() {
    return date;
  }

  public Type type() {
    return type;
  }

  /** True on a pre-holiday day whose last window was shortened by the tenant's reduction. */
  public boolean shortened() {
    return shortened;
  }

  /**
   * False when the tenant names a production calendar that has no data for this date's year:
   * the day then follows weekly hours only (the calendar's fallback).
   */
  public boolean covered() {
    return covered;
  }

  /** The local working windows after shortening; empty on a day off and for {@link Type#ALWAYS_OPEN}. */
  public List<TimeWindow> hours() {
    return hours;
  }

  /** True when the day has any working time. */
  public boolean isWorkingDay() {
    return starts.length > 0;
  }

  public int windowCount() {
    return starts.length;
  }

  public Instant windowStart(int index) {
    return starts[index];
  }

  public Instant windowEnd(int index) {
    return ends[index];
  }

  /** The start of the first window. */
  public Instant start() {
    requireWorking();
    return starts[0];
  }

  /** The end of the last window: the end of this working day. */
  public Instant end() {
    requireWorking();
    return ends[ends.length - 1];
  }

  /** The total working time of the day, in real (elapsed) time. */
  public Duration workingTime() {
    return workingTime;
  }

  /** A short English description, e.g. {@code "shortened pre-holiday day 09:00-17:00"}. */
  public String describe() {
    String text = switch (type) {
      case WORKING -> (shortened ? "shortened pre-holiday day " : "working day ") + windowsText();
      case TRANSFERRED_WORKING -> "transferred working day " + windowsText() + (shortened ? ", shortened pre-holiday" : "");
      case WEEKEND -> "weekend (no weekly hours)";
      case HOLIDAY -> "holiday (day off in the production calendar)";
      case ALWAYS_OPEN -> "open 24 hours";
    };
    if ((type == Type.WORKING || type == Type.TRANSFERRED_WORKING) && !isWorkingDay()) {
      text += " (no working time left)";
    }
    return covered ? text : text + " [no production-calendar data for " + date.getYear() + ": weekly hours only]";
  }

  private String windowsText() {
    return hours.isEmpty() ? "(none)" : hours.stream().map(TimeWindow::toString).collect(Collectors.joining(", "));
  }

  private void requireWorking() {
    if (starts.length == 0) {
      throw new IllegalStateException(date + " has no working time: " + describe());
    }
  }

  @Override
  public String toString() {
    return date + " " + describe();
  }
}
