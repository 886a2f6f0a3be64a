package dev.otklik.core.time;

import static dev.otklik.core.time.Calendars.msk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otklik.core.tenant.CalendarSpec;
import dev.otklik.core.tenant.TimeWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A business calendar")
class BusinessCalendarTest {

  private final BusinessCalendar ru = Calendars.calendar(Calendars.RU_9_18);
  private final BusinessCalendar asmo = Calendars.calendar(Calendars.ASMO);
  private final BusinessCalendar amber = Calendars.calendar(Calendars.AMBER);
  private final BusinessCalendar berlin = Calendars.calendar(Calendars.BERLIN_9_17);

  @Nested
  @DisplayName("on Thursday 30 April 2026 at 17:30, at a 09:00-18:00 vendor")
  class LabourDay2026 {

    private final Instant start = msk("2026-04-30T17:30");

    @Test
    @DisplayName("30 April is a shortened pre-holiday day ending at 17:00")
    void thirtyAprilIsShortened() {
      BusinessDay day = ru.day(LocalDate.of(2026, 4, 30));

      assertThat(day.type()).isEqualTo(BusinessDay.Type.WORKING);
      assertThat(day.shortened()).isTrue();
      assertThat(day.hours()).containsExactly(TimeWindow.parse("09:00-17:00"));
      assertThat(day.end()).isEqualTo(msk("2026-04-30T17:00"));
    }

    @Test
    @DisplayName("17:30 is after hours and the next working time is Monday 4 May 09:00, after 1-3 May off")
    void nextWorkingTimeIsMondayMorning() {
      assertThat(ru.isWorking(start)).isFalse();
      assertThat(ru.isWorking(msk("2026-04-30T16:59"))).isTrue();
      assertThat(ru.day(LocalDate.of(2026, 5, 1)).type()).isEqualTo(BusinessDay.Type.HOLIDAY);
      assertThat(ru.day(LocalDate.of(2026, 5, 2)).type()).isEqualTo(BusinessDay.Type.WEEKEND);
      assertThat(ru.nextWorkingInstant(start)).isEqualTo(msk("2026-05-04T09:00"));
    }

    @Test
    @DisplayName("4 working hours end on Monday 4 May at 13:00")
    void fourWorkingHours() {
      assertThat(ru.addWorking(start, Duration.ofHours(4))).isEqualTo(msk("2026-05-04T13:00"));
    }

    @Test
    @DisplayName("1 working hour from 16:30 takes the last half hour of the shortened day and half an hour on Monday")
    void workingHourAcrossTheHolidays() {
      assertThat(ru.addWorking(msk("2026-04-30T16:30"), Duration.ofHours(1))).isEqualTo(msk("2026-05-04T09:30"));
      assertThat(ru.workingTimeBetween(msk("2026-04-30T16:30"), msk("2026-05-04T09:30"))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    @DisplayName("1 working day ends at the end of Monday 4 May; the working day ends then too")
    void oneWorkingDayAndEndOfDay() {
      assertThat(ru.addWorkingDays(start, 1)).isEqualTo(msk("2026-05-04T18:00"));
      assertThat(ru.endOfWorkingDay(start)).isEqualTo(msk("2026-05-04T18:00"));
      assertThat(ru.endOfWorkingDay(msk("2026-04-30T10:00"))).isEqualTo(msk("2026-04-30T17:00"));
    }

    @Test
    @DisplayName("1 working day from Wednesday 17:30 ends when the shortened Thursday ends, 17:00")
    void sameTimeOfDayMissingOnShortenedDay() {
      assertThat(ru.addWorkingDays(msk("2026-04-29T17:30"), 1)).isEqualTo(msk("2026-04-30T17:00"));
      assertThat(ru.addWorkingDays(msk("2026-04-29T16:30"), 1)).isEqualTo(msk("2026-04-30T16:30"));
    }

    @Test
    @DisplayName("1 working day from Thursday 10:00 is Monday 4 May 10:00")
    void sameTimeAfterTheHolidays() {
      assertThat(ru.addWorkingDays(msk("2026-04-30T10:00"), 1)).isEqualTo(msk("2026-05-04T10:00"));
    }
  }

  @Test
  @DisplayName("31 December 2025 is a day off; New Year holidays run to 11 January 2026")
  void newYear() {
    Instant start = msk("2025-12-31T10:00");

    assertThat(ru.day(LocalDate.of(2025, 12, 31)).type()).isEqualTo(BusinessDay.Type.HOLIDAY);
    assertThat(ru.isWorking(start)).isFalse();
    assertThat(ru.nextWorkingInstant(start)).isEqualTo(msk("2026-01-12T09:00"));
    assertThat(ru.addWorking(start, Duration.ofHours(1))).isEqualTo(msk("2026-01-12T10:00"));
    assertThat(ru.addWorkingDays(msk("2025-12-30T11:00"), 1)).isEqualTo(msk("2026-01-12T11:00"));
    assertThat(ru.workingTimeBetween(msk("2025-12-30T17:00"), msk("2026-01-12T10:00"))).isEqualTo(Duration.ofHours(2));
  }

  @Test
  @DisplayName("Friday 8 May 2026 is shortened to 17:00, and 9-11 May are off")
  void victoryDay() {
    BusinessDay day = ru.day(LocalDate.of(2026, 5, 8));

    assertThat(day.shortened()).isTrue();
    assertThat(day.workingTime()).isEqualTo(Duration.ofHours(8));
    assertThat(ru.day(LocalDate.of(2026, 5, 11)).type()).isEqualTo(BusinessDay.Type.HOLIDAY);
    assertThat(ru.addWorking(msk("2026-05-08T16:00"), Duration.ofHours(2))).isEqualTo(msk("2026-05-12T10:00"));
    assertThat(asmo.addWorking(msk("2026-05-08T15:45"), Duration.ofHours(2))).isEqualTo(msk("2026-05-12T10:30"));
  }

  @Test
  @DisplayName("Saturday 1 November 2025 is a transferred working day, shortened, before 2-4 November off")
  void transferredShortenedSaturday() {
    BusinessDay day = ru.day(LocalDate.of(2025, 11, 1));

    assertThat(day.type()).isEqualTo(BusinessDay.Type.TRANSFERRED_WORKING);
    assertThat(day.shortened()).isTrue();
    assertThat(day.hours()).containsExactly(TimeWindow.parse("09:00-17:00"));
    assertThat(asmo.day(LocalDate.of(2025, 11, 1)).hours()).containsExactly(TimeWindow.parse("08:45-16:00"));
    assertThat(ru.isWorking(msk("2025-11-01T12:00"))).isTrue();
    assertThat(ru.addWorking(msk("2025-11-01T16:00"), Duration.ofHours(2))).isEqualTo(msk("2025-11-05T10:00"));
    assertThat(ru.addWorkingDays(msk("2025-10-31T12:00"), 1)).isEqualTo(msk("2025-11-01T12:00"));
    assertThat(ru.addWorkingDays(msk("2025-11-01T12:00"), 1)).isEqualTo(msk("2025-11-05T12:00"));
  }

  @Test
  @DisplayName("24x7 (AMBER) counts every minute, holidays included")
  void alwaysOpen() {
    Instant start = msk("2025-12-31T23:00");

    assertThat(amber.isWorking(msk("2026-01-01T03:00"))).isTrue();
    assertThat(amber.addWorking(start, Duration.ofHours(2))).isEqualTo(msk("2026-01-01T01:00"));
    assertThat(amber.workingTimeBetween(start, msk("2026-01-02T23:00"))).isEqualTo(Duration.ofHours(48));
    assertThat(amber.addWorkingDays(start, 1)).isEqualTo(msk("2026-01-01T23:00"));
    assertThat(amber.endOfWorkingDay(msk("2026-04-30T17:30"))).isEqualTo(msk("2026-05-01T00:00"));
    assertThat(amber.day(LocalDate.of(2026, 5, 1)).type()).isEqualTo(BusinessDay.Type.ALWAYS_OPEN);
    assertThat(amber.warningsFor(start, msk("2027-06-01T00:00"))).isEmpty();
  }

  @Test
  @DisplayName("A year without production-calendar data (2027) falls back to weekly hours, with a warning")
  void yearWithoutData() {
    BusinessDay newYear2027 = ru.day(LocalDate.of(2027, 1, 1));

    assertThat(newYear2027.covered()).isFalse();
    assertThat(newYear2027.type()).as("fallback: a Friday with weekly hours").isEqualTo(BusinessDay.Type.WORKING);
    assertThat(newYear2027.describe()).contains("no production-calendar data for 2027");
    assertThat(ru.addWorking(msk("2026-12-30T17:00"), Duration.ofHours(2))).isEqualTo(msk("2027-01-01T10:00"));
    assertThat(ru.warningsFor(msk("2026-12-30T17:00"), msk("2027-01-01T10:00")))
        .containsExactly(new CalendarWarning("ru", 2027, CalendarFallback.WEEKENDS_ONLY));
    assertThat(ru.warningsFor(msk("2026-01-01T00:00"), msk("2026-12-31T23:59"))).isEmpty();
    assertThat(ru.warningsFor(msk("2027-01-01T10:00"), msk("2024-12-31T10:00")))
        .extracting(CalendarWarning::year).containsExactly(2024, 2027);
    assertThat(ru.warningsFor(msk("2027-03-01T10:00"), msk("2027-03-01T10:00")).get(0).message())
        .contains("'ru' has no data for 2027", "weekly hours", "calendars/ru.yaml");
  }

  @Nested
  @DisplayName("in a DST zone")
  class DaylightSaving {

    @Test
    @DisplayName("a Sunday window 01:00-04:00 is 2 real hours on the spring-forward day and 4 on the fall-back day")
    void windowAcrossTheTransition() {
      assertThat(berlin.day(LocalDate.of(2026, 3, 29)).workingTime()).isEqualTo(Duration.ofHours(2));
      assertThat(berlin.day(LocalDate.of(2026, 10, 25)).workingTime()).isEqualTo(Duration.ofHours(4));
      assertThat(berlin.day(LocalDate.of(2026, 3, 22)).workingTime()).isEqualTo(Duration.ofHours(3));
      assertThat(berlin.addWorking(Calendars.at(Calendars.BERLIN, "2026-03-29T01:30"), Duration.ofHours(1)))
          .isEqualTo(Calendars.at(Calendars.BERLIN, "2026-03-29T03:30"));
    }

    @Test
    @DisplayName("a window boundary inside the gap moves to the gap's end; inside the overlap it is the first occurrence")
    void boundariesInsideTransitions() {
      Map<DayOfWeek, List<TimeWindow>> hours = Map.of(DayOfWeek.SUNDAY, List.of(TimeWindow.parse("02:30-05:00")));
      BusinessCalendar calendar = BusinessCalendar.of(
          new CalendarSpec(Calendars.BERLIN, Optional.empty(), false, hours, List.of(), Duration.ZERO), Optional.empty());

      BusinessDay spring = calendar.day(LocalDate.of(2026, 3, 29));
      assertThat(spring.start()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
      assertThat(spring.workingTime()).isEqualTo(Duration.ofHours(2));
      BusinessDay autumn = calendar.day(LocalDate.of(2026, 10, 25));
      assertThat(autumn.start()).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
      assertThat(autumn.workingTime()).isEqualTo(Duration.ofMinutes(210));
    }

    @Test
    @DisplayName("working days landing on the spring-forward Sunday: a missing local time is the gap's end, a later one the day's end")
    void workingDayAcrossTheChange() {
      assertThat(berlin.addWorkingDays(Calendars.at(Calendars.BERLIN, "2026-03-22T02:30"), 6))
          .as("02:30 does not exist on Sunday 29 March").isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
      assertThat(berlin.addWorkingDays(Calendars.at(Calendars.BERLIN, "2026-03-27T10:00"), 1))
          .as("Sunday's window ends 04:00").isEqualTo(Calendars.at(Calendars.BERLIN, "2026-03-29T04:00"));
    }
  }

  @Nested
  @DisplayName("with a lunch break (New York 09:00-12:00, 13:00-17:00)")
  class LunchBreak {

    private final BusinessCalendar ny = Calendars.calendar(Calendars.NEW_YORK_LUNCH);

    @Test
    @DisplayName("working time skips the break, and a working day from the break counts from its end")
    void breakIsSkipped() {
      Instant inBreak = Calendars.at(Calendars.NEW_YORK, "2026-06-10T12:30");

      assertThat(ny.isWorking(inBreak)).isFalse();
      assertThat(ny.nextWorkingInstant(inBreak)).isEqualTo(Calendars.at(Calendars.NEW_YORK, "2026-06-10T13:00"));
      assertThat(ny.addWorking(Calendars.at(Calendars.NEW_YORK, "2026-06-10T11:30"), Duration.ofHours(1)))
          .isEqualTo(Calendars.at(Calendars.NEW_YORK, "2026-06-10T13:30"));
      assertThat(ny.addWorkingDays(inBreak, 1)).isEqualTo(Calendars.at(Calendars.NEW_YORK, "2026-06-11T13:00"));
      assertThat(ny.endOfWorkingDay(inBreak)).isEqualTo(Calendars.at(Calendars.NEW_YORK, "2026-06-10T17:00"));
    }
  }

  @Nested
  @DisplayName("counting working days (tenant-config/README.md)")
  class WorkingDays {

    @Test
    @DisplayName("from within hours: the same time of day N working days later")
    void withinHours() {
      assertThat(ru.addWorkingDays(msk("2026-10-15T10:15"), 1)).isEqualTo(msk("2026-10-16T10:15"));
      assertThat(ru.addWorkingDays(msk("2026-10-15T09:00"), 3)).isEqualTo(msk("2026-10-20T09:00"));
    }

    @Test
    @DisplayName("from outside hours: the end of the N-th working day, counting the day the clock starts in")
    void outsideHours() {
      assertThat(ru.addWorkingDays(msk("2026-10-15T18:30"), 1)).isEqualTo(msk("2026-10-16T18:00"));
      assertThat(ru.addWorkingDays(msk("2026-10-15T18:00"), 1)).as("the window end is exclusive")
          .isEqualTo(msk("2026-10-16T18:00"));
      assertThat(ru.addWorkingDays(msk("2026-10-15T08:00"), 1)).isEqualTo(msk("2026-10-15T18:00"));
      assertThat(ru.addWorkingDays(msk("2026-10-17T12:00"), 1)).isEqualTo(msk("2026-10-19T18:00"));
      assertThat(ru.addWorkingDays(msk("2026-10-17T12:00"), 3)).isEqualTo(msk("2026-10-21T18:00"));
    }

    @Test
    @DisplayName("zero days is the start itself, and a negative count is refused")
    void zeroAndNegative() {
      assertThat(ru.addWorkingDays(msk("2026-10-17T12:00"), 0)).isEqualTo(msk("2026-10-17T12:00"));
      assertThatThrownBy(() -> ru.addWorkingDays(msk("2026-10-17T12:00"), -1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ru.addWorking(msk("2026-10-17T12:00"), Duration.ofMinutes(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("subtracting working days gives the same time of day earlier; a day's end maps to the day before's end")
    void subtract() {
      assertThat(ru.subtractWorkingDays(msk("2026-05-04T10:00"), 1)).isEqualTo(msk("2026-04-30T10:00"));
      assertThat(ru.subtractWorkingDays(msk("2026-05-04T18:00"), 1)).isEqualTo(msk("2026-04-30T17:00"));
      assertThat(ru.subtractWorkingDays(msk("2026-05-02T12:00"), 1)).isEqualTo(msk("2026-04-29T17:00"));
      assertThat(ru.subtractWorking(msk("2026-05-04T10:00"), Duration.ofHours(4))).isEqualTo(msk("2026-04-30T14:00"));
    }
  }

  @Test
  @DisplayName("A reduction longer than the last window removes it and takes the rest off the window before")
  void shortening() {
    assertThat(BusinessCalendar.shorten(
        List.of(TimeWindow.parse("09:00-12:00"), TimeWindow.parse("13:00-13:30")), Duration.ofMinutes(60)))
        .containsExactly(TimeWindow.parse("09:00-11:30"));
  }

  @Test
  @DisplayName("A production calendar that does not match the spec is refused")
  void mismatchedProductionCalendar() {
    assertThatThrownBy(() -> BusinessCalendar.of(Calendars.RU_9_18, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ru'");
    assertThatThrownBy(() -> BusinessCalendar.of(Calendars.BERLIN_9_17, Optional.of(Calendars.RU)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
