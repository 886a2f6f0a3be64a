package dev.otklik.core.sla;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.tenant.CalendarSpec;
import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.SlaCell;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaPolicy;
import dev.otklik.core.tenant.SlaPolicyKind;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TargetType;
import dev.otklik.core.tenant.TimeWindow;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.ticket.TicketAction;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.core.time.DeadlineCalculator;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlaClocksTest {

  static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
  static final BusinessCalendar CALENDAR = BusinessCalendar.of(weekdays(), Optional.empty());

  static CalendarSpec weekdays() {
    Map<DayOfWeek, List<TimeWindow>> hours = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
        DayOfWeek.FRIDAY)) {
      hours.put(d, List.of(TimeWindow.parse("09:00-18:00")));
    }
    return new CalendarSpec(MOSCOW, Optional.empty(), false, hours, List.of(), Duration.ZERO);
  }

  static SlaTarget target(String id, Side side, ClockStart start, ClockStop stop, String duration) {
    return new SlaTarget(id, TargetType.RESOLUTION, side, start, stop, SlaDuration.parse(duration), Optional.empty(),
        Optional.empty());
  }

  static final SlaClocks CLOCKS = new SlaClocks(new SlaPolicy(SlaPolicyKind.MATRIX, "1", Optional.empty(),
      Set.of(WorkflowStatus.WAITING_FOR_CUSTOMER), false,
      List.of(target("reaction", Side.VENDOR, ClockStart.REGISTERED, ClockStop.FIRST_RESPONSE, "4 clock-hours")),
      List.of(new SlaCell("urgent", Map.of("priority", "urgent"), Optional.empty(), false, List.of(
          target("resolution", Side.VENDOR, ClockStart.TRIAGE_FINISHED, ClockStop.SOLUTION_DELIVERED,
              "8 working-hours"),
          target("acceptance", Side.CUSTOMER, ClockStart.SOLUTION_DELIVERED,
              ClockStop.SOLUTION_ACCEPTED_OR_RETURNED, "1 working-days"))))),
      new DeadlineCalculator(CALENDAR, List.of()));

  static final Instant MON_10 = Instant.parse("2026-03-02T07:00:00Z");

  static SlaClock get(List<SlaClock> clocks, String id) {
    return clocks.stream().filter(c -> c.targetId().equals(id)).findFirst().orElseThrow();
  }

  static List<SlaClock> act(List<SlaClock> clocks, TicketAction action, WorkflowStatus from, WorkflowStatus to,
      boolean staff, Instant at) {
    return CLOCKS.apply(clocks, SlaEvent.transition(action, from, to, staff), at);
  }

  @Test
  @DisplayName("a request gets the common targets plus its cell's; registration starts the clock-hours reaction, the first staff transition meets it")
  void planStartAndFirstResponse() {
    List<SlaClock> c = CLOCKS.apply(CLOCKS.plan(Map.of("priority", "urgent")), SlaEvent.created(false), MON_10);
    assertThat(c).extracting(SlaClock::targetId).containsExactly("reaction", "resolution", "acceptance");
    assertThat(get(c, "reaction").dueAt()).isEqualTo(MON_10.plus(Duration.ofHours(4)));
    assertThat(get(c, "resolution").status()).isEqualTo(ClockStatus.PENDING);
    c = act(c, TicketAction.TRIAGE, WorkflowStatus.NEW, WorkflowStatus.TRIAGE, true, MON_10.plusSeconds(60));
    assertThat(get(c, "reaction").status()).isEqualTo(ClockStatus.MET);
    assertThat(get(c, "resolution").status()).isEqualTo(ClockStatus.PENDING);
  }

  @Test
  @DisplayName("a vendor clock stopped after its due instant is breached; a customer clock restarts with every new proposal")
  void breachAndRestart() {
    List<SlaClock> c = CLOCKS.apply(CLOCKS.plan(Map.of("priority", "urgent")), SlaEvent.created(false), MON_10);
    c = act(c, TicketAction.START, WorkflowStatus.NEW, WorkflowStatus.IN_PROGRESS, true, MON_10);
    assertThat(get(c, "resolution").dueAt()).isEqualTo(Instant.parse("2026-03-02T15:00:00Z")); // Mon 18:00
    Instant late = Instant.parse("2026-03-03T08:00:00Z");
    c = act(c, TicketAction.PROPOSE_SOLUTION, WorkflowStatus.IN_PROGRESS, WorkflowStatus.SOLUTION_PROPOSED, true, late);
    assertThat(get(c, "resolution").status()).isEqualTo(ClockStatus.BREACHED);
    assertThat(get(c, "resolution").breachedAt()).isEqualTo(Instant.parse("2026-03-02T15:00:00Z"));
    assertThat(get(c, "acceptance").status()).isEqualTo(ClockStatus.RUNNING);
    c = act(c, TicketAction.RETURN, WorkflowStatus.SOLUTION_PROPOSED, WorkflowStatus.RETURNED_FOR_REWORK, false,
        late.plusSeconds(3600));
    assertThat(get(c, "acceptance").status()).isEqualTo(ClockStatus.MET);
    Instant again = late.plusSeconds(7200);
    c = act(c, TicketAction.PROPOSE_SOLUTION, WorkflowStatus.RETURNED_FOR_REWORK, WorkflowStatus.SOLUTION_PROPOSED,
        true, again);
    assertThat(get(c, "acceptance").status()).isEqualTo(ClockStatus.RUNNING);
    assertThat(get(c, "acceptance").startedAt()).isEqualTo(again);
    assertThat(get(c, "resolution").status()).as("triage-finished happens once").isEqualTo(ClockStatus.BREACHED);
  }

  @Test
  @DisplayName("a paused clock-hours clock moves by the elapsed time waited (weekend included), and a clock whose start event has not happened stays pending")
  void pauseShiftsByUnit() {
    List<SlaClock> c = CLOCKS.apply(CLOCKS.plan(Map.of("priority", "urgent")), SlaEvent.created(false), MON_10);
    Instant fri17 = Instant.parse("2026-03-06T14:00:00Z");
    c = act(c, TicketAction.ASK_CLARIFICATION, WorkflowStatus.NEW, WorkflowStatus.WAITING_FOR_CUSTOMER, false,
        MON_10.plusSeconds(60));
    assertThat(get(c, "reaction").status()).isEqualTo(ClockStatus.PAUSED);
    Instant mon10 = Instant.parse("2026-03-09T07:00:00Z");
    c = act(c, TicketAction.REPLY, WorkflowStatus.WAITING_FOR_CUSTOMER, WorkflowStatus.IN_PROGRESS, false, mon10);
    SlaClock reaction = get(c, "reaction");
    assertThat(reaction.status()).isEqualTo(ClockStatus.RUNNING);
    assertThat(reaction.dueAt()).isEqualTo(MON_10.plus(Duration.ofHours(4)).plus(Duration.between(
        MON_10.plusSeconds(60), mon10)));

    c = act(c, TicketAction.PROPOSE_SOLUTION, WorkflowStatus.IN_PROGRESS, WorkflowStatus.SOLUTION_PROPOSED, true,
        fri17);
    assertThat(get(c, "resolution").status()).as("triage never finished").isEqualTo(ClockStatus.PENDING);
  }

  @Test
  @DisplayName("re-targeting to a cell without the target removes the open clock; with it, the clock is recomputed from its original start")
  void retarget() {
    List<SlaClock> c = CLOCKS.apply(CLOCKS.plan(Map.of("priority", "urgent")), SlaEvent.created(false), MON_10);
    c = act(c, TicketAction.START, WorkflowStatus.NEW, WorkflowStatus.IN_PROGRESS, true, MON_10);
    SlaClocks.Retarget r = CLOCKS.retarget(c, Map.of("priority", "low"), MON_10, WorkflowStatus.IN_PROGRESS,
        MON_10.plusSeconds(600));
    assertThat(r.removed()).containsExactlyInAnyOrder("resolution", "acceptance");
    assertThat(r.clocks()).extracting(SlaClock::targetId).containsExactly("reaction");
    SlaClocks.Retarget back = CLOCKS.retarget(r.clocks(), Map.of("priority", "urgent"), MON_10,
        WorkflowStatus.IN_PROGRESS, MON_10.plusSeconds(900));
    assertThat(get(back.clocks(), "resolution").startedAt()).as("triage-finished is not recorded once removed")
        .isNull();
  }
}
