package dev.otklik.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SlaDurationTest {

  @ParameterizedTest
  @CsvSource({
    "4 clock-hours, 4, CLOCK_HOURS",
    "60 clock-minutes, 60, CLOCK_MINUTES",
    "1 working-days, 1, WORKING_DAYS",
    "12 months, 12, MONTHS",
    "by-agreement, 0, BY_AGREEMENT",
    "next-planned-release, 0, NEXT_PLANNED_RELEASE",
    "end-of-working-day, 0, END_OF_WORKING_DAY"
  })
  @DisplayName("The file notation parses into amount and unit and formats back unchanged")
  void parsesAndFormatsBack(String text, int amount, DurationUnit unit) {
    SlaDuration duration = SlaDuration.parse(text);

    assertThat(duration).isEqualTo(new SlaDuration(amount, unit));
    assertThat(duration.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @EnumSource(DurationUnit.class)
  @DisplayName("Every unit round-trips through its text")
  void everyUnitRoundTrips(DurationUnit unit) {
    SlaDuration duration = unit.takesAmount() ? SlaDuration.of(7, unit) : SlaDuration.bare(unit);

    assertThat(SlaDuration.parse(duration.toString())).isEqualTo(duration);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "3 weeks                  | unknown unit \"weeks\"",
    "0 clock-hours            | positive whole number",
    "01 clock-hours           | without leading zeros",
    "-1 clock-hours           | positive whole number",
    "+4 clock-hours           | positive whole number",
    "9999999999 clock-hours   | positive whole number",
    "4  clock-hours           | unknown unit \" clock-hours\"",
    "4 Clock-Hours            | unknown unit \"Clock-Hours\"",
    "4 by-agreement           | by-agreement is written without an amount",
    "working-days             | working-days needs an amount, as in \"1 working-days\"",
    "''                       | unknown unit \"\""
  })
  @DisplayName("Malformed durations are refused with the text and what was wrong")
  void malformedDurationsAreRefused(String text, String reason) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SlaDuration.parse(text))
        .withMessageStartingWith("not a duration: \"" + text + "\"")
        .withMessageContaining(reason)
        .withMessageContaining("clock-minutes, clock-hours");
  }

  @Test
  @DisplayName("A bare unit cannot carry an amount and an amount unit needs one")
  void constructorKeepsAmountAndUnitConsistent() {
    assertThatIllegalArgumentException().isThrownBy(() -> SlaDuration.of(2, DurationUnit.BY_AGREEMENT));
    assertThatIllegalArgumentException().isThrownBy(() -> SlaDuration.bare(DurationUnit.WORKING_HOURS));
  }

  @Test
  @DisplayName("Clock durations convert to java.time; calendar-dependent ones do not")
  void onlyClockTimeConvertsToJavaDuration() {
    assertThat(SlaDuration.parse("60 clock-minutes").toClockDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(SlaDuration.parse("8 clock-hours").toClockDuration()).isEqualTo(Duration.ofHours(8));
    assertThatIllegalStateException()
        .isThrownBy(() -> SlaDuration.parse("1 working-days").toClockDuration());
  }

  @Test
  @DisplayName("Release-based units name the release type they read")
  void releaseUnitsNameTheirReleaseType() {
    assertThat(DurationUnit.NEXT_PLANNED_RELEASE.releaseType()).contains(ReleaseType.PLANNED);
    assertThat(DurationUnit.FOLLOWING_PLANNED_RELEASE.releaseType()).contains(ReleaseType.PLANNED);
    assertThat(DurationUnit.NEXT_UNPLANNED_RELEASE.releaseType()).contains(ReleaseType.UNPLANNED);
    assertThat(DurationUnit.WORKING_DAYS.releaseType()).isEmpty();
  }
}
