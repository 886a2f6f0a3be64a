package dev.otklik.core.tenant;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A span of working time within one day, written {@code "08:45-17:00"}. The end is exclusive
 * and after the start: a window never crosses midnight.
 */
public record TimeWindow(LocalTime start, LocalTime end) {

  public TimeWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException(
          "window " + start + "-" + end + " ends before it starts (end must be after start)");
    }
  }

  /**
   * Reads {@code "HH:MM-HH:MM"}.
   *
   * @throws IllegalArgumentException when the text is not two times, or the end is not after the start
   */
  public static TimeWindow parse(String text) {
    Objects.requireNonNull(text, "text");
    if (!text.matches("\\d{2}:\\d{2}-\\d{2}:\\d{2}")) {
      throw new IllegalArgumentException(
          "not a time window: \"" + text + "\"; expected \"HH:MM-HH:MM\" as in \"08:45-17:00\"");
    }
    try {
      return new TimeWindow(LocalTime.parse(text.substring(0, 5)), LocalTime.parse(text.substring(6)));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a time window: \"" + text + "\": " + e.getMessage(), e);
    }
  }

  public Duration length() {
    return Duration.between(start, end);
  }

  /** True when the two windows share any minute. */
  public boolean overlaps(TimeWindow other) {
    return start.isBefore(other.end) && other.start.isBefore(end);
  }

  @Override
  public String toString() {
    return start + "-" + end;
  }
}
