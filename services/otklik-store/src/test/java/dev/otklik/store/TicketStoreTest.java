package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.WorkflowStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TicketStoreTest {

  static final TenantTransactions tx = TestDatabase.transactions();
  // 31 December 22:30 UTC is already 1 January in Moscow: the number takes the tenant's year.
  static final TestClock clock = new TestClock(Instant.parse("2025-12-31T22:30:00Z"));
  static final TicketStore store = new TicketStore(tx, clock);

  record Desk(String tenantId, Organisation org, UserAccount customer, TicketStore.Caller customerCaller,
      TicketStore.Caller agent) {}

  static Desk desk() {
    String tenant = TestTenants.create(tx);
    Organisation org = TestPeople.organisation(tx, tenant);
    UserAccount customer = TestPeople.user(tx, tenant, Role.CUSTOMER, org.id());
    UserAccount agent = TestPeople.user(tx, tenant, Role.AGENT, null);
    return new Desk(tenant, org, customer, new TicketStore.Caller(customer.id(), Role.CUSTOMER, org.id()),
        new TicketStore.Caller(agent.id(), Role.AGENT, null));
  }

  static TicketStore.NewTicket newTicket(Desk d, String subject) {
    return newTicket(d, subject, "portal", d.customer().id());
  }

  static TicketStore.NewTicket newTicket(Desk d, String subject, String channel, java.util.UUID requester) {
    return new TicketStore.NewTicket("TST", ZoneId.of("Europe/Moscow"), channel, null, null, "high", null, null,
        subject, "details", null, d.org().id(), requester, null, null, null);
  }

  static long count(String table, String tenantId) throws Exception {
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE tenant_id = ?")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  @DisplayName("50 concurrent creations in one tenant get 50 distinct numbers 1..50 of the tenant's year, and events 1..50")
  void concurrentCreationsGetGaplessNumbers() {
    Desk d = desk();
    List<Future<TicketStore.Change<Ticket>>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(store.create(d.tenantId(), d.customerCaller(), newTicket(d, "parallel " + i)));
    }
    Future.all(all).await();
    List<String> numbers = all.stream().map(f -> f.result().value().number()).sorted().toList();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      expected.add(String.format("TST-2026-%06d", i));
    }
    assertThat(numbers).isEqualTo(expected);
    assertThat(all.stream().map(f -> f.result().sequence()).sorted().toList())
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
  }

  @Test
  @DisplayName("a failed creation gives its number back: the next request takes it, leaving no gap")
  void failedCreationLeavesNoGap() throws Exception {
    Desk d = desk();
    store.create(d.tenantId(), d.customerCaller(), newTicket(d, "first")).await();
    var stranger = newTicket(d, "bad", "portal", d.agent().userId());
    assertThat(TestFutures.problemOf(store.create(d.tenantId(), d.agent(), stranger)).code())
        .isEqualTo("ticket.requester-invalid");
    Ticket second = store.create(d.tenantId(), d.customerCaller(), newTicket(d, "second")).await().value();
    assertThat(second.number()).isEqualTo("TST-2026-000002");
    assertThat(count("ticket_event", d.tenantId())).isEqualTo(2);
    assertThat(count("outbox", d.tenantId())).isEqualTo(2);
    // refused by PostgreSQL after the checks, in the statement that takes the number, with the
    // event, the outbox row and the COMMIT already sent behind it: all of it rolls back
    var fax = newTicket(d, "by fax", "fax", d.customer().id());
    assertThat(TestFutures.failureOf(store.create(d.tenantId(), d.customerCaller(), fax)).getMessage())
        .contains("ticket_channel_check");
    Ticket third = store.create(d.tenantId(), d.customerCaller(), newTicket(d, "third")).await().value();
    assertThat(third.number()).isEqualTo("TST-2026-000003");
    assertThat(count("ticket", d.tenantId())).isEqualTo(3);
    assertThat(count("ticket_event", d.tenantId())).isEqualTo(3);
    assertThat(count("outbox", d.tenantId())).isEqualTo(3);
  }

  @Test
  @DisplayName("row-level security alone hides a request: tenant B's transaction finds nothing by tenant A's id or number")
  void rowLevelSecurityAloneHidesAnotherTenantsRequest() {
    Desk a = desk();
    Desk b = desk();
    Ticket ticket = store.create(a.tenantId(), a.customerCaller(), newTicket(a, "secret")).await().value();
    // No tenant filter in these statements: only the policy stands between B and A's rows.
    long seen = tx.inTenant(b.tenantId(), conn -> conn
        .preparedQuery("SELECT (SELECT count(*) FROM ticket WHERE id = $1) + (SELECT count(*) FROM ticket_event "
            + "WHERE ticket_id = $1) + (SELECT count(*) FROM outbox WHERE payload->>'ticketId' = $2) AS n")
        .execute(Tuple.of(ticket.id(), ticket.id().toString()))
        .map(rows -> rows.iterator().next().getLong("n"))).await();
    assertThat(seen).isZero();
    // The store asked for tenant A's request number in tenant B's transaction: not found.
    Optional<Ticket> viaStore = store.find(b.tenantId(), b.agent(), ticket.number()).await();
    assertThat(viaStore).isEmpty();
    assertThat(store.find(a.tenantId(), a.agent(), ticket.number()).await()).isPresent();
  }

  @Test
  @DisplayName("a customer of another organisation of the same tenant does not find the request")
  void customerOfAnotherOrganisationDoesNotFindTheRequest() {
    Desk d = desk();
    Ticket ticket = store.create(d.tenantId(), d.customerCaller(), newTicket(d, "ours")).await().value();
    Organisation other = TestPeople.organisation(tx, d.tenantId());
    UserAccount stranger = TestPeople.user(tx, d.tenantId(), Role.CUSTOMER, other.id());
    var caller = new TicketStore.Caller(stranger.id(), Role.CUSTOMER, other.id());
    assertThat(store.find(d.tenantId(), caller, ticket.number()).await()).isEmpty();
    assertThat(TestFutures.problemOf(store.addComment(d.tenantId(), caller, ticket.number(), "hi", false)).status())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("a transition appends a status event after the creation event, and a refused one writes nothing")
  void transitionsAppendEvents() throws Exception {
    Desk d = desk();
    Ticket t = store.create(d.tenantId(), d.customerCaller(), newTicket(d, "flow")).await().value();
    Ticket triaged = store.transition(d.tenantId(), d.agent(), t.number(), "triage", x -> WorkflowStatus.TRIAGE)
        .await().value();
    assertThat(triaged.status()).isEqualTo(WorkflowStatus.TRIAGE);
    assertThat(triaged.version()).isEqualTo(2);
    TestFutures.failureOf(store.transition(d.tenantId(), d.agent(), t.number(), "start", x -> {
      throw new IllegalStateException("refused");
    }));
    List<TicketStore.TicketEvent> events = store.events(d.tenantId(), d.agent(), t.number(), 0, 100).await();
    assertThat(events).extracting(TicketStore.TicketEvent::type).containsExactly("created", "status-changed");
    assertThat(events.get(1).sequence()).isGreaterThan(events.get(0).sequence());
    assertThat(count("outbox", d.tenantId())).isEqualTo(2);
  }

  @Test
  @DisplayName("internal notes and work log are staff-only events; the customer's history omits them")
  void internalEventsAreHiddenFromCustomers() {
    Desk d = desk();
    Ticket t = store.create(d.tenantId(), d.customerCaller(), newTicket(d, "notes")).await().value();
    store.addComment(d.tenantId(), d.agent(), t.number(), "internal", true).await();
    store.addComment(d.tenantId(), d.agent(), t.number(), "public", false).await();
    store.addWorkLog(d.tenantId(), d.agent(), t.number(), 30, "looked").await();
    assertThat(store.events(d.tenantId(), d.customerCaller(), t.number(), 0, 100).await())
        .extracting(TicketStore.TicketEvent::type).containsExactly("created", "comment-added");
    assertThat(store.comments(d.tenantId(), d.customerCaller(), t.number()).await())
        .extracting(TicketStore.Comment::body).containsExactly("public");
    assertThat(store.comments(d.tenantId(), d.agent(), t.number()).await()).hasSize(2);
  }

  @Test
  @DisplayName("a list counts up to 10,000 matches exactly and reports more as 10,001; the page is the newest 25, and sorting by priority follows the taxonomy order")
  void listCountIsCappedAndPagesFollowTheSort() throws Exception {
    Desk d = desk();
    store.create(d.tenantId(), d.customerCaller(), newTicket(d, "first")).await();
    // 10,050 more rows straight into the table (the store would take minutes), numbered on from 2
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO ticket (id, tenant_id, number, number_year, number_seq,"
            + " channel, status, kind, category, priority, severity, service, subject, description, organisation_id,"
            + " requester_id, created_by, created_at, updated_at)"
            + " SELECT gen_random_uuid(), t.tenant_id, 'TST-2026-' || lpad(g::text, 6, '0'), 2026, g, t.channel,"
            + " t.status, t.kind, t.category, CASE WHEN g % 2 = 0 THEN 'low' ELSE 'high' END, t.severity, t.service,"
            + " 'bulk ' || g, t.description, t.organisation_id, t.requester_id, t.created_by,"
            + " t.created_at - make_interval(secs => g), t.updated_at"
            + " FROM ticket t, generate_series(2, 10051) g WHERE t.tenant_id = ?")) {
      ps.setString(1, d.tenantId());
      assertThat(ps.executeUpdate()).isEqualTo(10_050);
    }
    TicketStore.TicketFilter all = new TicketStore.TicketFilter(List.of(), List.of(), null, null, null, null, null,
        List.of("urgent", "high", "low"));
    Page<TicketStore.TicketWithDeadlines> newest = store.list(d.tenantId(), d.agent(), all, new ListQuery(0, 25, null, null)).await();
    assertThat(newest.total()).isEqualTo(TicketStore.EXACT_TOTAL_UP_TO + 1);
    assertThat(newest.items()).hasSize(25);
    assertThat(newest.items().get(0).ticket().subject()).isEqualTo("first");
    assertThat(newest.items().get(1).ticket().subject()).isEqualTo("bulk 2");

    TicketStore.TicketFilter lowOnly = new TicketStore.TicketFilter(List.of(), List.of("low"), null, null, null,
        null, null, List.of("urgent", "high", "low"));
    assertThat(store.list(d.tenantId(), d.agent(), lowOnly, new ListQuery(0, 5, null, null)).await().total())
        .isEqualTo(5_025);
    Page<TicketStore.TicketWithDeadlines> byPriority = store.list(d.tenantId(), d.agent(), all, new ListQuery(0, 3, null, "priority")).await();
    assertThat(byPriority.items()).extracting(t -> t.ticket().priority()).containsOnly("high");
    Page<TicketStore.TicketWithDeadlines> lowFirst = store.list(d.tenantId(), d.agent(), all, new ListQuery(0, 3, null, "-priority")).await();
    assertThat(lowFirst.items()).extracting(t -> t.ticket().priority()).containsOnly("low");
    Page<TicketStore.TicketWithDeadlines> beyond = store.list(d.tenantId(), d.agent(), all, new ListQuery(20_000, 25, null, null)).await();
    assertThat(beyond.items()).isEmpty();
    assertThat(beyond.total()).isEqualTo(TicketStore.EXACT_TOTAL_UP_TO + 1);
  }
}
