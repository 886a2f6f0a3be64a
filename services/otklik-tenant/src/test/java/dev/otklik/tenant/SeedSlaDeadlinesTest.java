package dev.otklik.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.tenant.SlaPolicyKind;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.CalendarWarning;
import dev.otklik.core.time.Deadline;
import dev.otklik.core.time.DeadlineCalculator;
import dev.otklik.core.time.ProductionCalendar;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deadlines of the seed tenants' real SLA cells, on the real tenant files and the real ru
 * production calendar, against due instants worked out by hand (Moscow time). Start instants
 * are chosen to cross the 2025-2026 holidays, shortened and transferred days, and the missing
 * 2027 data.
 */
@DisplayName("The seed tenants' SLA deadlines")
class SeedSlaDeadlinesTest {

  private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
  private static final Path DIR = TestConfigDirectory.real();
  private static final TenantConfigLoader LOADER = new TenantConfigLoader(DIR);
  private static final Map<String, ProductionCalendar> CALENDARS =
      Map.of("ru", LOADER.loadCalendar(DIR.resolve("calendars/ru.yaml")));
  private static final Map<String, TenantConfig> TENANTS = new ConcurrentHashMap<>();

  private static TenantConfig tenant(String id) {
    return TENANTS.computeIfAbsent(id, t -> LOADER.loadTenant(DIR.resolve(t + ".yaml"), CALENDARS));
  }

  private static SlaTarget target(TenantConfig config, String cell, String target) {
    if (cell.equals("*common*")) {
      return config.sla().commonTargets().stream().filter(t -> t.id().equals(target)).findFirst()
          .orElseThrow(() -> new AssertionError("no common target " + target + " in " + config.id()));
    }
    return config.sla().cell(cell).orElseThrow(() -> new AssertionError("no cell " + cell + " in " + config.id()))
        .target(target).orElseThrow(() -> new AssertionError("no target " + target + " in " + cell));
  }

  private static Instant msk(String local) {
    return LocalDateTime.parse(local).atZone(MOSCOW).toInstant();
  }

  // due: a local Moscow date-time, or a status (BY_AGREEMENT, NO_RELEASE_SCHEDULED) when none is computed
  @ParameterizedTest(name = "{0} {1}/{2} = {3} from {4}: due {5}")
  @DisplayName("each cell's target falls due at the hand-computed instant")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # tenant  | cell                 | target            | figure                  | start (Moscow)   | due (Moscow)        | warn at (Moscow)  | warning years
      # cik-alekon, 09:00-18:00, ru calendar
      cik-alekon | failure-emergency    | reaction          | 4 clock-hours           | 2026-04-30T17:30 | 2026-04-30T21:30     | -                 | -
      cik-alekon | failure-emergency    | reaction          | 4 clock-hours           | 2025-12-31T22:00 | 2026-01-01T02:00     | -                 | -
      cik-alekon | failure-emergency    | resolution        | 1 working-days          | 2026-04-30T16:00 | 2026-05-04T16:00     | -                 | -
      cik-alekon | failure-emergency    | resolution        | 1 working-days          | 2026-04-29T17:45 | 2026-04-30T17:00     | -                 | -
      cik-alekon | failure-critical     | reaction          | 1 working-days          | 2025-11-01T12:00 | 2025-11-05T12:00     | -                 | -
      cik-alekon | failure-critical     | resolution        | 1 working-days          | 2025-12-31T10:00 | 2026-01-12T18:00     | -                 | -
      cik-alekon | failure-non-critical | reaction          | 3 working-days          | 2026-05-07T11:00 | 2026-05-13T11:00     | -                 | -
      cik-alekon | failure-non-critical | reaction          | 3 working-days          | 2026-06-09T19:00 | 2026-06-15T18:00     | -                 | -
      cik-alekon | failure-non-critical | resolution        | by-agreement            | 2026-06-09T19:00 | BY_AGREEMENT         | -                 | -
      cik-alekon | failure              | admin-contact     | 1 working-hours         | 2026-05-08T16:30 | 2026-05-12T09:30     | -                 | -
      cik-alekon | consultation         | contact           | end-of-working-day      | 2026-04-30T17:30 | 2026-05-04T18:00     | -                 | -
      cik-alekon | consultation         | contact           | end-of-working-day      | 2026-04-30T08:00 | 2026-04-30T17:00     | -                 | -
      # asmo, 08:45-17:00, ru calendar
      asmo       | *common*             | reaction          | 2 working-hours         | 2026-04-30T15:30 | 2026-05-04T10:15     | -                 | -
      asmo       | *common*             | reaction          | 2 working-hours         | 2025-12-30T16:00 | 2026-01-12T09:45     | -                 | -
      asmo       | critical-error       | resolution        | 8 working-hours         | 2026-04-30T10:00 | 2026-05-04T10:45     | -                 | -
      asmo       | critical-error       | resolution        | 8 working-hours         | 2025-10-31T14:00 | 2025-11-01T13:45     | -                 | -
      asmo       | security-issue       | update-release    | 3 calendar-days         | 2026-04-30T17:30 | 2026-05-03T17:30     | -                 | -
      asmo       | security-issue       | update-release    | 3 calendar-days         | 2026-12-29T12:00 | 2027-01-01T12:00     | -                 | -
      asmo       | error-non-typical    | resolution        | by-agreement            | 2026-04-30T10:00 | BY_AGREEMENT         | -                 | -
      # imc, 09:00-18:00, ru calendar; releases 2026.1.1 (unplanned 20 May), 2026.2 (24 Jun), 2026.3 (23 Sep), 2026.3.1 (unplanned 21 Oct), 2026.4 (16 Dec), 2027.1 (24 Mar 2027)
      imc        | *common*             | triage            | 1 working-days          | 2026-04-30T17:30 | 2026-05-04T18:00     | -                 | -
      imc        | *common*             | triage            | 1 working-days          | 2026-05-08T10:00 | 2026-05-12T10:00     | -                 | -
      imc        | *common*             | clarification-answer | 3 working-days       | 2025-11-01T10:00 | 2025-11-07T10:00     | -                 | -
      imc        | error-urgent         | resolution        | 1 working-days          | 2026-04-30T11:00 | 2026-05-04T11:00     | 2026-04-30T15:00  | -
      imc        | error-urgent         | resolution        | 1 working-days          | 2026-11-03T17:30 | 2026-11-05T18:00     | 2026-11-05T14:00  | -
      imc        | error-urgent         | customer-acceptance | 1 working-days        | 2026-12-30T12:00 | 2027-01-01T12:00     | 2026-12-30T17:00  | 2027
      imc        | error-high           | resolution        | next-unplanned-release  | 2026-05-08T12:00 | 2026-05-20T18:00     | -                 | -
      imc        | error-high           | resolution        | next-unplanned-release  | 2026-10-22T12:00 | NO_RELEASE_SCHEDULED | -                 | -
      imc        | error-normal         | resolution        | next-planned-release    | 2026-04-30T17:30 | 2026-06-24T18:00     | -                 | -
      imc        | error-normal         | resolution        | next-planned-release    | 2026-06-24T10:00 | 2026-09-23T18:00     | -                 | -
      imc        | error-normal         | resolution        | next-planned-release    | 2026-12-17T10:00 | 2027-03-24T18:00     | -                 | 2027
      imc        | error-low            | resolution        | following-planned-release | 2026-04-30T10:00 | BY_AGREEMENT       | -                 | -
      imc        | support-urgent       | resolution        | 3 working-days          | 2026-06-10T17:30 | 2026-06-16T17:30     | 2026-06-15T17:30  | -
      imc        | support-normal       | resolution        | 5 working-days          | 2026-04-29T14:00 | 2026-05-07T14:00     | 2026-05-06T14:00  | -
      imc        | support-normal       | resolution        | 5 working-days          | 2026-05-06T10:00 | 2026-05-14T10:00     | 2026-05-13T10:00  | -
      imc        | support-normal       | resolution        | 5 working-days          | 2026-12-25T19:00 | 2027-01-04T18:00     | 2027-01-01T18:00  | 2027
      """)
  void dueAsComputedByHand(String tenant, String cell, String targetId, String figure, String start, String due,
      String warnAt, String warningYears) {
    TenantConfig config = tenant(tenant);
    SlaTarget target = target(config, cell, targetId);
    assertThat(target.duration()).as("the configured figure").hasToString(figure);

    DeadlineCalculator calculator = DeadlineCalculator.forTenant(config, CALENDARS);
    Deadline deadline = calculator.explain(target, msk(start));
    String explained = "\n" + deadline.explanation();

    if (due.matches("[A-Z_]+")) {
      assertThat(deadline.status()).as(explained).isEqualTo(Deadline.Status.valueOf(due));
      assertThat(deadline.dueAt()).isEmpty();
    } else {
      assertThat(deadline.dueAt()).as(explained).contains(msk(due));
      assertThat(calculator.compute(target, msk(start))).as("the same without explanation")
          .extracting(Deadline::dueAt, Deadline::warnAt).containsExactly(deadline.dueAt(), deadline.warnAt());
    }
    if (warnAt == null) {
      assertThat(deadline.warnAt()).as(explained).isEmpty();
    } else {
      assertThat(deadline.warnAt()).as(explained).contains(msk(warnAt));
    }
    assertThat(deadline.warnings()).extracting(CalendarWarning::year).as(explained)
        .containsExactlyElementsOf(warningYears == null ? List.of() : List.of(Integer.parseInt(warningYears)));
  }

  @Test
  @DisplayName("a tenant whose regulation sets no figures (AMBER CRM, Risk Pro) has no deadlines at all")
  void policyNoneHasNoDeadlines() {
    for (String id : List.of("amber-crm", "risk-pro")) {
      TenantConfig config = tenant(id);
      assertThat(config.sla().policy()).isEqualTo(SlaPolicyKind.NONE);
      assertThat(config.sla().commonTargets()).isEmpty();
      assertThat(config.sla().cells()).flatExtracting(c -> c.targets()).isEmpty();
      assertThat(config.sla().cellFor(Map.of("priority", "urgent"))).isEmpty();
    }
  }

  @Test
  @DisplayName("AMBER CRM's calendar is 24x7: working time is clock time, holidays included")
  void amberIsAlwaysOpen() {
    DeadlineCalculator amber = DeadlineCalculator.forTenant(tenant("amber-crm"), CALENDARS);

    assertThat(amber.calendar().addWorking(msk("2025-12-31T23:00"), Duration.ofHours(2)))
        .isEqualTo(msk("2026-01-01T01:00"));
    assertThat(amber.calendar().warningsFor(msk("2026-12-31T00:00"), msk("2027-12-31T00:00"))).isEmpty();
  }
}
