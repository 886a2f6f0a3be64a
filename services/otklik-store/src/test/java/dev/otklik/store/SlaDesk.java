package dev.otklik.store;

import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.WorkflowStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * One new tenant with a customer and an agent, and a {@link TicketStore} on its own
 * {@link TestClock}, starting Wed 10 June 2026 09:00 Moscow, whose changes run the
 * {@link TestSla} clocks (ИМЦ-like).
 */
public final class SlaDesk {

  public static final Instant WED_10_JUNE_0900_MSK = Instant.parse("2026-06-10T06:00:00Z");

  public final TestClock clock = new TestClock(WED_10_JUNE_0900_MSK);
  public final TicketStore store;
  public final String tenantId;
  public final Organisation org;
  public final TicketStore.Caller customer;
  public final TicketStore.Caller agent;

  public SlaDesk(TenantTransactions tx) {
    store = new TicketStore(tx, clock);
    tenantId = TestTenants.create(tx);
    org = TestPeople.organisation(tx, tenantId);
    UserAccount c = TestPeople.user(tx, tenantId, Role.CUSTOMER, org.id());
    UserAccount a = TestPeople.user(tx, tenantId, Role.AGENT, null);
    customer = new TicketStore.Caller(c.id(), Role.CUSTOMER, org.id());
    agent = new TicketStore.Caller(a.id(), Role.AGENT, null);
  }

  /** A portal request of this category and priority, filed by the customer. */
  public TicketStore.NewTicket request(String category, String priority) {
    return new TicketStore.NewTicket("IMC", TestSla.MOSCOW, "portal", null, category, priority, null, null, "Ошибка",
        "Отчёт падает", null, org.id(), customer.userId(), null, null, null);
  }

  /** Files an error/urgent request now. */
  public Ticket file() {
    return store.create(tenantId, customer, request("error", "urgent"), TestSla.clocks()).await().value();
  }

  /** Files an error/urgent request now and an hour later finishes its triage ({@code start}). */
  public Ticket fileAndStartAnHourLater() {
    Ticket t = file();
    clock.advance(Duration.ofHours(1));
    return move(agent, t, "start", WorkflowStatus.IN_PROGRESS);
  }

  /** {@code action} by {@code who}, leading to {@code to}. */
  public Ticket move(TicketStore.Caller who, Ticket t, String action, WorkflowStatus to) {
    return store.transition(tenantId, who, t.number(), action, current -> to, TestSla.clocks()).await().value();
  }
}
