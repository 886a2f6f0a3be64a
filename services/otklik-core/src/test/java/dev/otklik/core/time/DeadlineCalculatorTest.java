package dev.otklik.core.time;

import static dev.otklik.core.time.Calendars.msk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.Release;
import dev.otklik.core.tenant.ReleaseType;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TargetType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A deadline calculator")
class DeadlineCalculatorTest {

  private static final List<Release> RELEASES = List.of(
      new Release("2026.2", ReleaseType.PLANNED, LocalDate.of(2026, 6, 24), Optional.empty()),
      new Release("2026.1.1", ReleaseType.UNPLANNED, LocalDate.of(2026, 5, 20), Optional.empty()),
      new Release("2026.sat", ReleaseType.UNPLANNED, LocalDate.of(2026, 5, 23), Optional.empty()),
      new Release("2026.1", ReleaseType.PLANNED, LocalDate.of(2026, 3, 25), Optional.empty()));

  private final DeadlineCalculator ru = new DeadlineCalculator(Calendars.calendar(Calendars.RU_9_18), RELEASES);
  private final Instant thursdayEvening = msk("2026-04-30T17:30");

  private Instant due(String duration, Instant start) {
    return ru.compute(SlaDuration.parse(duration), start).requireDueAt();
  }

  @Test
  @DisplayName("clock time ignores the calendar; calendar days, months and years keep the local time")
  void clockAndCalendarUnits() {
    assertThat(due("4 clock-hours", thursdayEvening)).isEqualTo(msk("2026-04-30T21:30"));
    assertThat(due("90 clock-minutes", thursdayEvening)).isEqualTo(msk("2026-04-30T19:00"));
    assertThat(due("3 calendar-days", thursdayEvening)).isEqualTo(msk("2026-05-03T17:30"));
    assertThat(due("1 months", msk("2026-01-31T10:00"))).isEqualTo(msk("2026-02-28T10:00"));
    assertThat(due("1 years", thursdayEvening)).isEqualTo(msk("2027-04-30T17:30"));
    assertThat(ru.compute(SlaDuration.parse("1 years"), thursdayEvening).warnings())
        .as("calendar units count holidays like any day: no production calendar needed").isEmpty();
    assertThat(ru.compute(SlaDuration.parse("200 working-days"), thursdayEvening).warnings())
        .extracting(CalendarWarning::year).containsExactly(2027);
    assertThat(ru.compute(SlaDuration.parse("400 clock-hours"), thursdayEvening)
        .warnings()).as("clock time does not read the calendar").isEmpty();
  }

  @Test
  @DisplayName("working units use the business calendar")
  void workingUnits() {
    assertThat(due("30 working-minutes", thursdayEvening)).isEqualTo(msk("2026-05-04T09:30"));
    assertThat(due("8 working-hours", thursdayEvening)).isEqualTo(msk("2026-05-04T17:00"));
    assertThat(due("1 working-days", thursdayEvening)).isEqualTo(msk("2026-05-04T18:00"));
    assertThat(due("end-of-working-day", thursdayEvening)).isEqualTo(msk("2026-05-04T18:00"));
  }

  @Test
  @DisplayName("the next release of a type dated after the start is due at the end of its working day, or at midnight on a day off")
  void releases() {
    assertThat(due("next-planned-release", thursdayEvening)).isEqualTo(msk("2026-06-24T18:00"));
    assertThat(due("next-planned-release", msk("2026-03-25T08:00"))).as("not the release of the same day")
        .isEqualTo(msk("2026-06-24T18:00"));
    assertThat(due("next-unplanned-release", msk("2026-05-21T10:00"))).as("Saturday 23 May")
        .isEqualTo(msk("2026-05-24T00:00"));
    Deadline none = ru.compute(SlaDuration.parse("next-planned-release"), msk("2026-07-01T10:00"));
    assertThat(none.status()).isEqualTo(Deadline.Status.NO_RELEASE_SCHEDULED);
    assertThat(none.dueAt()).isEmpty();
  }

  @Test
  @DisplayName("by agreement and one of the following planned releases have no computed due instant")
  void byAgreement() {
    for (String unit : List.of("by-agreement", "following-planned-release")) {
      Deadline deadline = ru.explain(SlaDuration.parse(unit), thursdayEvening);
      assertThat(deadline.status()).isEqualTo(Deadline.Status.BY_AGREEMENT);
      assertThat(deadline.dueAt()).isEmpty();
      assertThat(deadline.isComputed()).isFalse();
      assertThat(deadline.explanation().lines()).last().asString().contains("agent sets");
    }
  }

  @Test
  @DisplayName("a target's warn-before gives the instant the owing side must warn by")
  void warnBefore() {
    SlaTarget target = new SlaTarget("resolution", TargetType.RESOLUTION, Side.VENDOR, ClockStart.TRIAGE_FINISHED,
        ClockStop.SOLUTION_DELIVERED, SlaDuration.parse("1 working-days"),
        Optional.of(SlaDuration.parse("4 working-hours")), Optional.empty());

    Deadline deadline = ru.compute(target, msk("2026-04-30T11:00"));

    assertThat(deadline.dueAt()).contains(msk("2026-05-04T11:00"));
    assertThat(deadline.warnAt()).contains(msk("2026-04-30T15:00"));
  }

  @Test
  @DisplayName("explains itself step by step, with the same result as without explanation")
  void explanation() {
    Deadline explained = ru.explain(SlaDuration.parse("4 working-hours"), thursdayEvening);
    Deadline fast = ru.compute(SlaDuration.parse("4 working-hours"), thursdayEvening);

    assertThat(explained.dueAt()).isEqualTo(fast.dueAt()).contains(msk("2026-05-04T13:00"));
    assertThat(fast.explanation()).isEqualTo(Explanation.none());
    assertThat(explained.explanation().lines()).containsExactly(
        "duration 4 working-hours",
        "start Thu 30 Apr 2026 17:30 (+03:00) Europe/Moscow: after working hours;"
            + " Thu 30 Apr 2026 is a shortened pre-holiday day 09:00-17:00",
        "Thu 30 Apr 2026: shortened pre-holiday day 09:00-17:00, no working time after the start",
        "Fri 1 May 2026 - Sun 3 May 2026: off (holiday (day off in the production calendar); weekend (no weekly hours))",
        "Mon 4 May 2026: working day 09:00-18:00, +4h (4h of 4h)",
        "due Mon 4 May 2026 13:00 (+03:00)");
  }

  @Test
  @DisplayName("an explanation into a year without data ends with the fallback warning")
  void explanationWarnsAboutMissingYear() {
    Deadline deadline = ru.explain(SlaDuration.parse("2 working-hours"), msk("2026-12-30T17:00"));

    assertThat(deadline.dueAt()).contains(msk("2027-01-01T10:00"));
    assertThat(deadline.warnings()).extracting(CalendarWarning::year).containsExactly(2027);
    assertThat(deadline.explanation().lines()).last().asString().startsWith("WARNING: production calendar 'ru' has no data for 2027");
    assertThat(deadline.explanation().lines()).anyMatch(line -> line.startsWith("Fri 1 Jan 2027: working day 09:00-18:00 [no production-calendar data for 2027"));
  }
}
