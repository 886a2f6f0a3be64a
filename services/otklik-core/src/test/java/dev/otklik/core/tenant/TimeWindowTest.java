package dev.otklik.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeWindowTest {

  @Test
  @DisplayName("A window reads as start and exclusive end and prints back the same")
  void parsesAndPrintsBack() {
    TimeWindow window = TimeWindow.parse("08:45-17:00");

    assertThat(window.start()).isEqualTo(LocalTime.of(8, 45));
    assertThat(window.end()).isEqualTo(LocalTime.of(17, 0));
    assertThat(window.length()).isEqualTo(Duration.ofMinutes(495));
    assertThat(window).hasToString("08:45-17:00");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "17:00-08:45 | ends before it starts",
    "09:00-09:00 | ends before it starts",
    "8:45-17:00  | expected \"HH:MM-HH:MM\"",
    "08:45-24:00 | not a time window",
    "08:61-17:00 | not a time window"
  })
  @DisplayName("A window that is malformed or does not end after it starts is refused")
  void refusesBadWindows(String text, String reason) {
    assertThatIllegalArgumentException().isThrownBy(() -> TimeWindow.parse(text)).withMessageContaining(reason);
  }

  @Test
  @DisplayName("Windows overlap when they share a minute, not when one ends as the next starts")
  void overlapIgnoresTouchingEnds() {
    TimeWindow morning = TimeWindow.parse("09:00-13:00");

    assertThat(morning.overlaps(TimeWindow.parse("12:59-14:00"))).isTrue();
    assertThat(morning.overlaps(TimeWindow.parse("13:00-14:00"))).isFalse();
  }
}
