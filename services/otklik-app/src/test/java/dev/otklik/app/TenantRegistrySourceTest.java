package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.sla.ClockStatus;
import dev.otklik.core.sla.SlaClock;
import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.sla.SlaEvent;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.ticket.TicketAction;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.core.time.DeadlineCalculator;
import dev.otklik.store.TenantStore;
import dev.otklik.store.TestDatabase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The typed side of the registry as the API sees it, on the repository's real tenant-config/. */
class TenantRegistrySourceTest {

  static Vertx vertx;
  static TenantRegistrySource source;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    source = TenantRegistrySource.create(vertx, TestTenantConfig.repositoryDir(),
        new TenantStore(TestDatabase.transactions()));
    source.loadInitial().await();
  }

  @AfterAll
  static void close() {
    source.close().await();
    vertx.close().await();
  }

  @Test
  @DisplayName("every seed tenant has a typed config and a business calendar, built once per tenant version and aware of the production calendar's holidays")
  void calendarsAreTypedAndCached() {
    for (String id : List.of("amber-crm", "asmo", "cik-alekon", "imc", "risk-pro")) {
      assertThat(source.tenant(id)).as(id).isPresent();
      BusinessCalendar first = source.calendar(id).orElseThrow();
      assertThat(source.calendar(id).orElseThrow()).as("cached").isSameAs(first);
    }
    BusinessCalendar imc = source.calendar("imc").orElseThrow();
    assertThat(imc.day(LocalDate.parse("2026-06-12")).isWorkingDay()).as("Russia Day").isFalse();
    assertThat(imc.day(LocalDate.parse("2026-06-10")).isWorkingDay()).isTrue();
    assertThat(source.tenant("nobody")).isEmpty();
    assertThat(source.calendar("nobody")).isEmpty();
  }

  @Test
  @DisplayName("ИМЦ's real config: an error/urgent solution is due 1 working day after triage ends, and a wait for the customer moves it by the working time waited")
  void imcErrorUrgentOnTheRealConfig() {
    TenantConfig imc = source.tenant("imc").orElseThrow();
    BusinessCalendar calendar = source.calendar("imc").orElseThrow();
    SlaClocks sla = new SlaClocks(imc.sla(), new DeadlineCalculator(calendar, imc.releases()));
    Instant registered = Instant.parse("2026-06-10T06:00:00Z"); // Wed 09:00 MSK
    List<SlaClock> clocks = sla.apply(sla.plan(Map.of("category", "error", "priority", "urgent")),
        SlaEvent.created(false), registered);
    Instant triaged = registered.plus(Duration.ofHours(1));
    clocks = sla.apply(clocks, SlaEvent.transition(TicketAction.START, WorkflowStatus.NEW,
        WorkflowStatus.IN_PROGRESS, true), triaged);
    SlaClock resolution = clocks.stream().filter(c -> c.targetId().equals("resolution")).findFirst().orElseThrow();
    assertThat(resolution.cellId()).isEqualTo("error-urgent");
    assertThat(resolution.dueAt()).isEqualTo(Instant.parse("2026-06-11T07:00:00Z")); // Thu 10:00 MSK

    Instant asked = Instant.parse("2026-06-10T09:00:00Z"); // Wed 12:00 MSK
    Instant replied = Instant.parse("2026-06-15T08:00:00Z"); // Mon 11:00 MSK, after the 12 June holiday
    clocks = sla.apply(clocks, SlaEvent.transition(TicketAction.ASK_CLARIFICATION, WorkflowStatus.IN_PROGRESS,
        WorkflowStatus.WAITING_FOR_CUSTOMER, true), asked);
    clocks = sla.apply(clocks, SlaEvent.transition(TicketAction.REPLY, WorkflowStatus.WAITING_FOR_CUSTOMER,
        WorkflowStatus.IN_PROGRESS, false), replied);
    SlaClock resumed = clocks.stream().filter(c -> c.targetId().equals("resolution")).findFirst().orElseThrow();
    assertThat(resumed.status()).isEqualTo(ClockStatus.RUNNING);
    assertThat(calendar.workingTimeBetween(resolution.dueAt(), resumed.dueAt()))
        .isEqualTo(calendar.workingTimeBetween(asked, replied));
  }
}
