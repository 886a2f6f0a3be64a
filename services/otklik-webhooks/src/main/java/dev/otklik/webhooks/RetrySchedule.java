package dev.otklik.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: after attempt n, wait {@code DELAYS[n-1]} times a
 * jitter factor in [0.8, 1.2). Fourteen attempts in all, the last about three days after the first
 * (the nominal delays add up to 75.7 hours); after it the delivery is given up.
 */
public final class RetrySchedule {

  /** Nominal waits after attempts 1, 2, 3, ...; their sum is 75 h 42 min 35 s. */
  public static final List<Duration> DELAYS = List.of(
      Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10),
      Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8),
      Duration.ofHours(12), Duration.ofHours(16), Duration.ofHours(16), Duration.ofHours(16));
  public static final double JITTER = 0.2;
  /** The longest Retry-After honoured; a longer one is cut to this. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

  private final DoubleSupplier random;

  /** @param random uniform in [0, 1); tests pass a fixed value */
  public RetrySchedule(DoubleSupplier random) {
    this.random = random;
  }

  public static int maxAttempts() {
    return DELAYS.size() + 1;
  }

  /** The wait after failed attempt {@code attempt} (1-based), or empty when it was the last. */
  public Optional<Duration> after(int attempt) {
    if (attempt < 1 || attempt > DELAYS.size()) {
      return Optional.empty();
    }
    double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
    return Optional.of(Duration.ofMillis(Math.round(DELAYS.get(attempt - 1).toMillis() * factor)));
  }

  /** A Retry-After header: seconds or an HTTP date; empty if absent or unreadable. Capped at a day. */
  public static Optional<Duration> retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        d = Duration.between(now, at);
        if (d.isNegative()) {
          d = Duration.ZERO;
        }
      } catch (DateTimeParseException unreadable) {
        return Optional.empty();
      }
    }
    return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
  }

}
