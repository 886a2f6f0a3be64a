package dev.otklik.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  @Test
  @DisplayName("14 attempts over about three days, growing waits, jitter within ±20 %, nothing after the last")
  void scheduleSpansAboutThreeDays() {
    Duration total = RetrySchedule.DELAYS.stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(total).isBetween(Duration.ofHours(70), Duration.ofHours(80));
    assertThat(RetrySchedule.maxAttempts()).isEqualTo(14);
    for (int i = 1; i < RetrySchedule.DELAYS.size(); i++) {
      assertThat(RetrySchedule.DELAYS.get(i)).isGreaterThanOrEqualTo(RetrySchedule.DELAYS.get(i - 1));
    }
    RetrySchedule low = new RetrySchedule(() -> 0.0);
    RetrySchedule high = new RetrySchedule(() -> 0.999999);
    assertThat(low.after(1)).contains(Duration.ofSeconds(4));
    assertThat(high.after(1).orElseThrow()).isBetween(Duration.ofMillis(5999), Duration.ofSeconds(6));
    assertThat(new RetrySchedule(() -> 0.5).after(13)).contains(Duration.ofHours(16));
    assertThat(low.after(14)).isEmpty();
  }

  @Test
  @DisplayName("Retry-After is read as seconds or an HTTP date, capped at a day; garbage is ignored")
  void retryAfterHeader() {
    Instant now = Instant.parse("2026-03-02T09:00:00Z");
    assertThat(RetrySchedule.retryAfter("120", now)).contains(Duration.ofSeconds(120));
    assertThat(RetrySchedule.retryAfter("Mon, 02 Mar 2026 09:05:00 GMT", now)).contains(Duration.ofMinutes(5));
    assertThat(RetrySchedule.retryAfter("999999", now)).contains(Duration.ofHours(24));
    assertThat(RetrySchedule.retryAfter("soon", now)).isEmpty();
    assertThat(RetrySchedule.retryAfter(null, now)).isEmpty();
  }
}
