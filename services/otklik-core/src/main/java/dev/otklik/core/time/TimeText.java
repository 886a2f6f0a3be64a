package dev.otklik.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** English formatting for explanations. */
final class TimeText {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE d MMM uuuu", Locale.ENGLISH);
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("EEE d MMM uuuu HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx", Locale.ENGLISH);

  static String date(LocalDate date) {
    return DATE.format(date);
  }

  /** {@code "Mon 4 May 2026 09:00 (+03:00)"}; seconds are shown only when present. */
  static String instant(Instant instant, ZoneId zone) {
    var local = instant.atZone(zone);
    String text = DATE_TIME.format(local);
    if (local.getSecond() != 0 || local.getNano() != 0) {
      text += String.format(Locale.ROOT, ":%02d", local.getSecond()) + (local.getNano() != 0 ? "." + local.getNano() : "");
    }
    return text + " (" + OFFSET.format(local) + ")";
  }

  /** {@code "4h"}, {@code "1h 30m"}, {@code "45m"}, {@code "2d 3h"} never: hours are not folded into days. */
  static String duration(Duration duration) {
    if (duration.isNegative()) {
      return "-" + duration(duration.negated());
    }
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    int seconds = duration.toSecondsPart();
    StringBuilder text = new StringBuilder();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(text.length() > 0 ? " " : "").append(minutes).append('m');
    }
    if (seconds > 0 || duration.toNanosPart() > 0) {
      text.append(text.length() > 0 ? " " : "").append(seconds).append('s');
    }
    return text.length() == 0 ? "0m" : text.toString();
  }

  private TimeText() {}
}
