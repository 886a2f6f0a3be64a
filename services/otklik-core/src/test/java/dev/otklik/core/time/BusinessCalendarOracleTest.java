package dev.otklik.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.tenant.CalendarSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link BusinessCalendar}'s day-by-day arithmetic agrees with a brute-force minute-by-minute
 * oracle ({@link MinuteOracle}) for every seed calendar and two DST zones, on random minutes of
 * 2025-2026, a third of them near the days that matter (holidays, transferred and shortened
 * days, the year ends, DST changes).
 */
@Label("Business-time arithmetic against a minute-by-minute oracle")
class BusinessCalendarOracleTest {

  private static final Instant FROM = Instant.parse("2024-12-31T00:00:00Z");
  private static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

  /** Days near which the calendars change their behaviour. */
  private static final List<LocalDate> INTERESTING = List.of(
      "2024-12-31", "2025-01-08", "2025-03-07", "2025-03-30", "2025-04-30", "2025-05-08", "2025-06-11",
      "2025-10-26", "2025-11-01", "2025-11-04", "2025-12-31", "2026-01-09", "2026-02-23", "2026-03-08",
      "2026-03-29", "2026-04-30", "2026-05-08", "2026-06-11", "2026-10-25", "2026-11-01", "2026-11-03",
      "2026-11-04", "2026-12-30")
      .stream().map(LocalDate::parse).toList();

  record Case(String name, CalendarSpec spec) {
    BusinessCalendar calendar() {
      return Calendars.calendar(spec);
    }

    MinuteOracle oracle() {
      return new MinuteOracle(spec, spec.productionCalendar().isPresent() ? Optional.of(Calendars.RU) : Optional.empty());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Case> CASES = List.of(
      new Case("risk-pro / cik-alekon / imc 09:00-18:00 ru", Calendars.RU_9_18),
      new Case("asmo 08:45-17:00 ru", Calendars.ASMO),
      new Case("amber-crm 24x7", Calendars.AMBER),
      new Case("Europe/Berlin 09:00-17:00 + Sun 01:00-04:00", Calendars.BERLIN_9_17),
      new Case("America/New_York 09:00-12:00, 13:00-17:00", Calendars.NEW_YORK_LUNCH));

  private static final List<BusinessCalendar> CALENDARS = CASES.stream().map(Case::calendar).toList();
  private static final List<MinuteOracle> ORACLES = CASES.stream().map(Case::oracle).toList();

  @Property(tries = 1000)
  @Label("Adding working time lands where the oracle's minute count ends")
  void addWorkingMatchesOracle(
      @ForAll("calendars") int which, @ForAll("starts") Instant start, @ForAll("workingMinutes") int minutes) {
    BusinessCalendar calendar = CALENDARS.get(which);
    Instant due = calendar.addWorking(start, Duration.ofMinutes(minutes));

    assertThat(due).as("%s: %s + %d working minutes", CASES.get(which), start, minutes)
        .isEqualTo(ORACLES.get(which).addWorkingMinutes(start, minutes));
    assertThat(calendar.workingTimeBetween(start, due)).as("between(a, add(a, d)) == d")
        .isEqualTo(Duration.ofMinutes(minutes));
  }

  @Property(tries = 1000)
  @Label("Working time between two instants equals the oracle's count of working minutes")
  void workingTimeBetweenMatchesOracle(
      @ForAll("calendars") int which, @ForAll("starts") Instant from, @ForAll("spans") int spanMinutes) {
    BusinessCalendar calendar = CALENDARS.get(which);
    Instant to = from.plusSeconds(60L * spanMinutes);

    assertThat(calendar.workingTimeBetween(from, to)).as("%s: [%s, %s)", CASES.get(which), from, to)
        .isEqualTo(ORACLES.get(which).workingBetween(from, to));
    assertThat(calendar.workingTimeBetween(to, from)).isEqualTo(calendar.workingTimeBetween(from, to).negated());
  }

  @Property(tries = 1000)
  @Label("Whether an instant is working time, and the next working instant, agree with the oracle")
  void isWorkingAndNextWorkingMatchOracle(@ForAll("calendars") int which, @ForAll("starts") Instant at) {
    BusinessCalendar calendar = CALENDARS.get(which);
    MinuteOracle oracle = ORACLES.get(which);

    assertThat(calendar.isWorking(at)).as("%s at %s", CASES.get(which), at).isEqualTo(oracle.isWorkingMinute(at));
    Instant next = calendar.nextWorkingInstant(at);
    assertThat(oracle.isWorkingMinute(next)).as("next working instant %s is working", next).isTrue();
    assertThat(oracle.workingBetween(at, next)).as("no working minute before %s", next).isEqualTo(Duration.ZERO);
  }

  @Property(tries = 1000)
  @Label("Subtracting working time leaves exactly that much working time before the end")
  void subtractWorkingIsConsistent(
      @ForAll("calendars") int which, @ForAll("starts") Instant end, @ForAll("workingMinutes") int minutes) {
    BusinessCalendar calendar = CALENDARS.get(which);
    Instant from = calendar.subtractWorking(end, Duration.ofMinutes(minutes));

    assertThat(ORACLES.get(which).workingBetween(from, end)).as("%s: %s - %d working minutes = %s",
        CASES.get(which), end, minutes, from).isEqualTo(Duration.ofMinutes(minutes));
  }

  @Property(tries = 1000)
  @Label("Working days: the result is a working instant or a day's end, with at least one working day between")
  void addWorkingDaysLandsOnAWorkingDay(
      @ForAll("calendars") int which, @ForAll("starts") Instant start, @ForAll("days") int days) {
    BusinessCalendar calendar = CALENDARS.get(which);
    Instant due = calendar.addWorkingDays(start, days);

    assertThat(calendar.isWorking(due) || calendar.isWorking(due.minusNanos(1)))
        .as("%s: %s + %d working days = %s is working time or its end", CASES.get(which), start, days, due).isTrue();
    assertThat(calendar.workingTimeBetween(start, due).toMinutes()).isPositive().isLessThanOrEqualTo(days * 24L * 60);
  }

  @Provide
  Arbitrary<Integer> calendars() {
    return Arbitraries.integers().between(0, CASES.size() - 1);
  }

  @Provide
  Arbitrary<Instant> starts() {
    long minutes = (TO.getEpochSecond() - FROM.getEpochSecond()) / 60;
    Arbitrary<Instant> anywhere = Arbitraries.longs().between(0, minutes).map(m -> FROM.plusSeconds(60 * m));
    Arbitrary<Instant> nearInteresting = Arbitraries.of(INTERESTING)
        .flatMap(d -> Arbitraries.integers().between(-2 * 24 * 60, 3 * 24 * 60)
            .map(m -> d.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(60L * m)));
    return Arbitraries.frequencyOf(Tuple.of(2, anywhere), Tuple.of(1, nearInteresting));
  }

  @Provide
  Arbitrary<Integer> workingMinutes() {
    Arbitrary<Integer> round = Arbitraries.of(0, 60, 4 * 60, 8 * 60, 9 * 60, 8 * 60 + 15, 24 * 60);
    Arbitrary<Integer> any = Arbitraries.integers().between(1, 3 * 9 * 60);
    return Arbitraries.frequencyOf(Tuple.of(1, round), Tuple.of(3, any));
  }

  @Provide
  Arbitrary<Integer> spans() {
    return Arbitraries.integers().between(0, 10 * 24 * 60);
  }

  @Provide
  Arbitrary<Integer> days() {
    return Arbitraries.integers().between(1, 5);
  }
}
