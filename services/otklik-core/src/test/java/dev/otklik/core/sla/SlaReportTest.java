package dev.otklik.core.sla;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.tenant.CalendarSpec;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.TargetType;
import dev.otklik.core.tenant.TimeWindow;
import dev.otklik.core.time.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlaReportTest {

  static BusinessCalendar nineToSix() {
    Map<DayOfWeek, List<TimeWindow>> hours = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
        DayOfWeek.FRIDAY)) {
      hours.put(d, List.of(TimeWindow.parse("09:00-18:00")));
    }
    return BusinessCalendar.of(new CalendarSpec(ZoneId.of("UTC"), Optional.empty(), false, hours, List.of(),
        Duration.ZERO), Optional.empty());
  }

  static SlaReport.Row resolution(UUID id, String start, String stop, ClockStatus status, long paused) {
    return new SlaReport.Row(id, "error", "urgent", TargetType.RESOLUTION, Side.VENDOR, status, Instant.parse(start),
        Instant.parse(stop), paused);
  }

  @Test
  @DisplayName("resolution times are business seconds from start to stop less pauses (a Friday-evening to Monday-morning span counts only working hours); median and p90 are nearest-rank")
  void businessSecondsAndPercentiles() {
    List<SlaReport.Row> rows = new ArrayList<>();
    // Fri 2026-06-05 17:00 -> Mon 06-08 10:00: 1 h Friday + 1 h Monday
    rows.add(resolution(UUID.randomUUID(), "2026-06-05T17:00:00Z", "2026-06-08T10:00:00Z", ClockStatus.MET, 0));
    for (int h = 1; h <= 8; h++) {
      rows.add(resolution(UUID.randomUUID(), "2026-06-09T09:00:00Z",
          Instant.parse("2026-06-09T09:00:00Z").plus(Duration.ofHours(h)).toString(), ClockStatus.MET, 0));
    }
    // 9 h of working time, 8 h of it paused: 1 h; breached
    rows.add(resolution(UUID.randomUUID(), "2026-06-10T09:00:00Z", "2026-06-10T18:00:00Z", ClockStatus.BREACHED,
        8 * 3600));
    UUID waiting = UUID.randomUUID();
    rows.add(new SlaReport.Row(waiting, "error", "urgent", TargetType.CLARIFICATION_ANSWER, Side.CUSTOMER,
        ClockStatus.BREACHED, Instant.parse("2026-06-10T09:00:00Z"), null, 0));
    rows.add(new SlaReport.Row(UUID.randomUUID(), null, null, null, null, null, null, null, 0));

    SlaReport.Result r = SlaReport.of(rows, nineToSix());
    assertThat(r.types()).containsExactly(TargetType.RESOLUTION, TargetType.CLARIFICATION_ANSWER);
    assertThat(r.groups()).hasSize(2);
    SlaReport.Group g = r.groups().get(0);
    assertThat(g.requests()).isEqualTo(11);
    assertThat(g.met(TargetType.RESOLUTION)).isEqualTo(9);
    assertThat(g.breached(TargetType.RESOLUTION)).isEqualTo(1);
    // sorted hours: 1,1,2,2,3,4,5,6,7,8 -> median (rank 5) 3 h, p90 (rank 9) 7 h
    assertThat(g.resolutionMedian()).isEqualTo(3 * 3600L);
    assertThat(g.resolutionP90()).isEqualTo(7 * 3600L);
    assertThat(g.reactionMedian()).isNull();
    assertThat(g.customerDelays()).isEqualTo(1);
    assertThat(r.groups().get(1).category()).as("no category sorts last").isNull();
    assertThat(r.groups().get(1).requests()).isEqualTo(1);
  }

  @Test
  @DisplayName("a request filed with its form filled in emits form-received along with registration")
  void createdWithForm() {
    assertThat(SlaEvent.created(false, true).stops()).containsExactly(dev.otklik.core.tenant.ClockStop.FORM_RECEIVED);
    assertThat(SlaEvent.created(false, false).stops()).isEmpty();
  }
}
