package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.WorkflowStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Shared requests (V021) against the real PostgreSQL: people in several organisations, requests
 * filed for one of them, watchers, and the mail rows watchers get.
 */
class SharedRequestsStoreTest {

  static final TenantTransactions tx = TestDatabase.transactions();
  static final TicketStore tickets = new TicketStore(tx, Clock.systemUTC());
  static final WatcherStore watchers = new WatcherStore(tx, Clock.systemUTC());
  static final UserStore users = new UserStore(tx);

  /** A tenant with organisations A, B and C; Anna belongs to A (primary) and B, Boris to B, Carl to C. */
  record Desk(String tenant, Organisation a, Organisation b, Organisation c, UserAccount anna, UserAccount boris,
      UserAccount carl, UserAccount alice, TicketStore.Caller agent) {

    TicketStore.Caller caller(UserAccount user) {
      UserAccount now = users.findById(tenant, user.id()).await().orElseThrow();
      return new TicketStore.Caller(now.id(), now.role(), now.organisationId(), Set.copyOf(now.organisationIds()));
    }

    Ticket file(UserAccount by, Organisation org, String subject) {
      return tickets.create(tenant, caller(by), newTicket(org, by, subject)).await().value();
    }

    TicketStore.NewTicket newTicket(Organisation org, UserAccount requester, String subject) {
      return new TicketStore.NewTicket("TST", ZoneId.of("Europe/Moscow"), "portal", null, null, null, null, null,
          subject, "details", null, org.id(), requester.id(), null, null, null);
    }
  }

  static Desk desk() {
    String tenant = TestTenants.create(tx);
    Organisation a = TestPeople.organisation(tx, tenant);
    Organisation b = TestPeople.organisation(tx, tenant);
    Organisation c = TestPeople.organisation(tx, tenant);
    UserAccount anna = TestPeople.user(tx, tenant, Role.CUSTOMER, a.id());
    users.setOrganisations(tenant, anna.id(), List.of(a.id(), b.id()), null, Clock.systemUTC()).await();
    UserAccount agent = TestPeople.user(tx, tenant, Role.AGENT, null);
    return new Desk(tenant, a, b, c, users.findById(tenant, anna.id()).await().orElseThrow(),
        TestPeople.user(tx, tenant, Role.CUSTOMER, b.id()), TestPeople.user(tx, tenant, Role.CUSTOMER, c.id()),
        TestPeople.user(tx, tenant, Role.CUSTOMER, a.id()), new TicketStore.Caller(agent.id(), Role.AGENT, null));
  }

  static long count(String sql, Object... args) throws Exception {
    try (Connection c = TestDatabase.superuserConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static List<String> subjects(Page<TicketStore.TicketWithDeadlines> page) {
    return page.items().stream().map(t -> t.ticket().subject()).toList();
  }

  static TicketStore.TicketFilter all(UUID watcher) {
    return new TicketStore.TicketFilter(List.of(), List.of(), null, null, null, null, null, List.of(), watcher);
  }

  @Test
  @DisplayName("a customer of organisations A and B sees both organisations' requests (list, by number, search) and none of C's")
  void customerOfTwoOrganisationsSeesBothAndNotAThird() {
    Desk d = desk();
    assertThat(d.anna().organisationIds()).containsExactly(d.a().id(), d.b().id());
    Ticket inA = d.file(d.alice(), d.a(), "Отчёт A не строится");
    Ticket inB = d.file(d.boris(), d.b(), "Отчёт B не строится");
    Ticket inC = d.file(d.carl(), d.c(), "Отчёт C не строится");

    TicketStore.Caller anna = d.caller(d.anna());
    assertThat(subjects(tickets.list(d.tenant(), anna, all(null), new ListQuery(0, 50, null, null)).await()))
        .containsExactlyInAnyOrder(inA.subject(), inB.subject());
    assertThat(tickets.find(d.tenant(), anna, inB.number()).await()).isPresent();
    assertThat(tickets.find(d.tenant(), anna, inC.number()).await()).isEmpty();
    assertThat(TestFutures.problemOf(tickets.addComment(d.tenant(), anna, inC.number(), "hi", false)).code())
        .isEqualTo("ticket.not-found");
    assertThat(new SearchStore(tx).search(d.tenant(), anna, "отчёт", 0, 20).await().items())
        .extracting(SearchStore.Hit::number).containsExactlyInAnyOrder(inA.number(), inB.number());
    // Boris (B only) does not see A's request
    assertThat(subjects(tickets.list(d.tenant(), d.caller(d.boris()), all(null), new ListQuery(0, 50, null, null))
        .await())).containsExactly(inB.subject());
    // the organisations and the colleagues a customer sees follow the memberships
    assertThat(new OrganisationStore(tx).listAmong(d.tenant(), Set.copyOf(d.anna().organisationIds()),
        new ListQuery(0, 50, null, null)).await().items()).extracting(Organisation::id)
        .containsExactlyInAnyOrder(d.a().id(), d.b().id());
    assertThat(users.list(d.tenant(), new UserStore.UserFilter(null, null, null, d.anna().organisationIds()),
        new ListQuery(0, 50, null, null)).await().items()).extracting(UserAccount::id)
        .containsExactlyInAnyOrder(d.anna().id(), d.alice().id(), d.boris().id());
  }

  @Test
  @DisplayName("row-level security alone keeps memberships and watchers of one tenant out of another's transactions")
  void rowLevelSecurityHidesMembershipsAndWatchers() {
    Desk d = desk();
    Desk other = desk();
    Ticket t = d.file(d.anna(), d.b(), "secret");
    watchers.add(d.tenant(), d.caller(d.anna()), t.number(), d.boris().id()).await();
    long seen = tx.inTenant(other.tenant(), conn -> conn.preparedQuery(
            "SELECT (SELECT count(*) FROM organisation_membership WHERE user_id = $1)"
                + " + (SELECT count(*) FROM ticket_watcher WHERE ticket_id = $2) AS n")
        .execute(Tuple.of(d.anna().id(), t.id())).map(rows -> rows.iterator().next().getLong("n"))).await();
    assertThat(seen).isZero();
    long own = tx.inTenant(d.tenant(), conn -> conn.preparedQuery(
            "SELECT (SELECT count(*) FROM organisation_membership WHERE user_id = $1)"
                + " + (SELECT count(*) FROM ticket_watcher WHERE ticket_id = $2) AS n")
        .execute(Tuple.of(d.anna().id(), t.id())).map(rows -> rows.iterator().next().getLong("n"))).await();
    assertThat(own).isEqualTo(3);
    // a membership of another tenant's organisation cannot even be written (composite key)
    assertThat(TestFutures.problemOf(users.setOrganisations(d.tenant(), d.anna().id(),
        List.of(d.a().id(), other.a().id()), null, Clock.systemUTC())).code()).isEqualTo("user.organisation-unknown");
    assertThat(users.findById(d.tenant(), d.anna().id()).await().orElseThrow().organisationIds())
        .containsExactly(d.a().id(), d.b().id());
  }

  @Test
  @DisplayName("filing for the second organisation stores it; a foreign organisation is refused (403) and writes nothing")
  void filingForTheSecondOrganisation() throws Exception {
    Desk d = desk();
    Ticket forB = d.file(d.anna(), d.b(), "for B");
    assertThat(forB.organisationId()).isEqualTo(d.b().id());
    assertThat(count("SELECT count(*) FROM ticket WHERE tenant_id = ? AND organisation_id = ?", d.tenant(), d.b().id()))
        .isEqualTo(1);

    var refused = TestFutures.problemOf(tickets.create(d.tenant(), d.caller(d.anna()),
        d.newTicket(d.c(), d.anna(), "for C")));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("ticket.organisation-forbidden");
    // staff naming a requester who is no member of the organisation: 400, as before
    assertThat(TestFutures.problemOf(tickets.create(d.tenant(), d.agent(), d.newTicket(d.c(), d.boris(), "x"))).code())
        .isEqualTo("ticket.requester-invalid");
    // staff filing for Anna's second organisation is fine
    assertThat(tickets.create(d.tenant(), d.agent(), d.newTicket(d.b(), d.anna(), "by phone")).await().value()
        .organisationId()).isEqualTo(d.b().id());
    assertThat(count("SELECT count(*) FROM ticket WHERE tenant_id = ?", d.tenant())).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM ticket_event WHERE tenant_id = ?", d.tenant())).isEqualTo(2);
  }

  @Test
  @DisplayName("memberships: a new user is a member of their primary; the primary moves before it is left; a customer keeps one")
  void membershipsKeepThePrimary() throws Exception {
    Desk d = desk();
    assertThat(users.memberships(d.tenant(), d.boris().id()).await())
        .containsExactly(new UserStore.Membership(d.b().id(), d.b().name(), true));
    // leaving the primary: the first remaining becomes primary
    List<UserStore.Membership> now = users.setOrganisations(d.tenant(), d.anna().id(), List.of(d.b().id(), d.c().id()),
        null, Clock.systemUTC()).await();
    assertThat(now).extracting(UserStore.Membership::organisationId).containsExactly(d.b().id(), d.c().id());
    assertThat(now.get(0).primary()).isTrue();
    UserAccount anna = users.findById(d.tenant(), d.anna().id()).await().orElseThrow();
    assertThat(anna.organisationId()).isEqualTo(d.b().id());
    // naming the primary
    users.setOrganisations(d.tenant(), d.anna().id(), List.of(d.b().id(), d.c().id()), d.c().id(), Clock.systemUTC())
        .await();
    assertThat(users.findById(d.tenant(), d.anna().id()).await().orElseThrow().organisationId()).isEqualTo(d.c().id());
    assertThat(TestFutures.problemOf(users.setOrganisations(d.tenant(), d.anna().id(), List.of(d.b().id()), d.a().id(),
        Clock.systemUTC())).code()).isEqualTo("user.primary-not-member");
    assertThat(TestFutures.problemOf(users.setOrganisations(d.tenant(), d.anna().id(), List.of(), null,
        Clock.systemUTC())).code()).isEqualTo("user.organisation-required");
    assertThat(TestFutures.problemOf(users.setOrganisations(d.tenant(), UUID.randomUUID(), List.of(d.a().id()), null,
        Clock.systemUTC())).status()).isEqualTo(404);
    // the database itself refuses to drop the primary's membership
    Throwable refused = TestFutures.failureOf(tx.inTenant(d.tenant(), conn -> conn.preparedQuery(
        "DELETE FROM organisation_membership WHERE user_id = $1 AND organisation_id = $2")
        .execute(Tuple.of(d.anna().id(), d.c().id()))));
    assertThat(refused).hasMessageContaining("primary organisation");
    assertThat(count("SELECT count(*) FROM organisation_membership WHERE tenant_id = ? AND user_id = ?", d.tenant(),
        d.anna().id())).isEqualTo(2);
  }

  @Test
  @DisplayName("watchers: a colleague of the request's organisation may be added (once), another organisation's or tenant's person may not; each change is a public event")
  void watcherRules() throws Exception {
    Desk d = desk();
    Desk other = desk();
    Ticket t = d.file(d.anna(), d.b(), "shared");
    TicketStore.Caller anna = d.caller(d.anna());

    WatcherStore.Update added = watchers.add(d.tenant(), anna, t.number(), d.boris().id()).await();
    assertThat(added.change()).isNotNull();
    assertThat(added.watchers()).extracting(WatcherStore.Watcher::userId).containsExactly(d.boris().id());
    assertThat(watchers.add(d.tenant(), anna, t.number(), d.boris().id()).await().change()).as("idempotent").isNull();

    assertThat(TestFutures.problemOf(watchers.add(d.tenant(), anna, t.number(), d.alice().id())).code())
        .as("a colleague of Anna's other organisation, not of the request's").isEqualTo("ticket.watcher-invalid");
    assertThat(TestFutures.problemOf(watchers.add(d.tenant(), anna, t.number(), d.carl().id())).code())
        .isEqualTo("ticket.watcher-invalid");
    assertThat(TestFutures.problemOf(watchers.add(d.tenant(), anna, t.number(), other.boris().id())).code())
        .as("another tenant's person").isEqualTo("ticket.watcher-invalid");
    UserAccount agent = TestPeople.user(tx, d.tenant(), Role.AGENT, null);
    assertThat(TestFutures.problemOf(watchers.add(d.tenant(), d.agent(), t.number(), agent.id())).code())
        .as("staff are not watchers").isEqualTo("ticket.watcher-invalid");
    // Carl (organisation C) does not even find the request
    assertThat(TestFutures.problemOf(watchers.add(d.tenant(), d.caller(d.carl()), t.number(), d.carl().id())).code())
        .isEqualTo("ticket.not-found");
    // staff may add the requester too; it changes nothing in the mail (no duplicate)
    assertThat(watchers.add(d.tenant(), d.agent(), t.number(), d.anna().id()).await().watchers()).hasSize(2);

    assertThat(watchers.remove(d.tenant(), anna, t.number(), d.anna().id()).await().change()).isNotNull();
    assertThat(watchers.remove(d.tenant(), anna, t.number(), d.anna().id()).await().change()).isNull();

    assertThat(tickets.events(d.tenant(), d.caller(d.boris()), t.number(), 0, 100).await())
        .extracting(TicketStore.TicketEvent::type, TicketStore.TicketEvent::isPublic)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("created", true),
            org.assertj.core.groups.Tuple.tuple("watcher-added", true),
            org.assertj.core.groups.Tuple.tuple("watcher-added", true),
            org.assertj.core.groups.Tuple.tuple("watcher-removed", true));
    assertThat(count("SELECT count(*) FROM outbox WHERE tenant_id = ? AND kind = 'ticket.watcher-added'", d.tenant()))
        .isEqualTo(2);
    assertThat(count("SELECT count(*) FROM ticket_watcher WHERE tenant_id = ?", d.tenant())).isEqualTo(1);
    assertThat(tickets.findWithDeadlines(d.tenant(), anna, t.number()).await().orElseThrow().watchers())
        .extracting(WatcherStore.Watcher::displayName).containsExactly(d.boris().displayName());
  }

  @Test
  @DisplayName("each change's signal row is its ticket_event row with the request's organisation, assignee and watchers after the change")
  void signalRowsMatchTheStoredEvents() {
    Desk d = desk();
    Ticket t = d.file(d.anna(), d.b(), "signalled");
    TicketStore.Caller anna = d.caller(d.anna());
    List<TicketStore.Change<?>> changes = new ArrayList<>();
    changes.add(tickets.create(d.tenant(), anna, d.newTicket(d.b(), d.anna(), "second")).await());
    changes.add(watchers.add(d.tenant(), anna, t.number(), d.boris().id()).await().change());
    changes.add(tickets.addComment(d.tenant(), d.agent(), t.number(), "internal", true).await());
    changes.add(watchers.remove(d.tenant(), anna, t.number(), d.boris().id()).await().change());
    for (TicketStore.Change<?> c : changes) {
      JsonObject row = c.event();
      assertThat(row.getLong(EventSignal.SEQUENCE)).isEqualTo(c.sequence());
      assertThat(row.getString(EventSignal.TYPE)).isEqualTo(c.eventType());
      assertThat(row.getBoolean(EventSignal.PUBLIC)).isEqualTo(c.isPublic());
      assertThat(row.getString(EventSignal.ORGANISATION)).isEqualTo(d.b().id().toString());
      JsonObject stored = storedEvent(d.tenant(), c.sequence());
      for (String key : List.of(EventSignal.NUMBER, EventSignal.ACTOR, EventSignal.BEFORE, EventSignal.AFTER,
          EventSignal.CREATED_AT)) {
        assertThat(row.getValue(key)).as("%s of %s", key, c.eventType()).isEqualTo(stored.getValue(key));
      }
    }
    assertThat(changes.get(1).event().getJsonArray(EventSignal.WATCHERS)).containsExactly(d.boris().id().toString());
    assertThat(changes.get(2).event().getJsonArray(EventSignal.WATCHERS)).containsExactly(d.boris().id().toString());
    assertThat(changes.get(3).event().getJsonArray(EventSignal.WATCHERS)).isEmpty();
    assertThat(EventSignal.message(changes.get(2)).getJsonObject("event")).isSameAs(changes.get(2).event());
  }

  /** A ticket_event row in the signal's shape, read back through the tenant's transaction. */
  private static JsonObject storedEvent(String tenant, long sequence) {
    return tx.inTenant(tenant, c -> c.preparedQuery("SELECT t.number, e.actor_id, e.before, e.after, e.created_at"
            + " FROM ticket_event e JOIN ticket t ON t.tenant_id = e.tenant_id AND t.id = e.ticket_id"
            + " WHERE e.sequence = $1").execute(Tuple.of(sequence))
        .map(rows -> {
          var r = rows.iterator().next();
          return new JsonObject().put(EventSignal.NUMBER, r.getString("number"))
              .put(EventSignal.ACTOR, r.getUUID("actor_id") == null ? null : r.getUUID("actor_id").toString())
              .put(EventSignal.BEFORE, r.getValue("before")).put(EventSignal.AFTER, r.getValue("after"))
              .put(EventSignal.CREATED_AT, r.getOffsetDateTime("created_at").toInstant().toString());
        })).await();
  }

  @Test
  @DisplayName("a watcher who left the organisation still sees the watched request (list, watching filter, events) but nothing else of it, and may unwatch but not add")
  void watcherSeesTheWatchedRequest() {
    Desk d = desk();
    Ticket watched = d.file(d.boris(), d.b(), "watched");
    Ticket unwatched = d.file(d.boris(), d.b(), "not watched");
    watchers.add(d.tenant(), d.agent(), watched.number(), d.anna().id()).await();
    // Anna leaves B
    users.setOrganisations(d.tenant(), d.anna().id(), List.of(d.a().id()), null, Clock.systemUTC()).await();
    TicketStore.Caller anna = d.caller(d.anna());
    assertThat(anna.organisationIds()).containsExactly(d.a().id());

    assertThat(subjects(tickets.list(d.tenant(), anna, all(null), new ListQuery(0, 50, null, null)).await()))
        .containsExactly("watched");
    assertThat(subjects(tickets.list(d.tenant(), anna, all(anna.userId()), new ListQuery(0, 50, null, null)).await()))
        .containsExactly("watched");
    assertThat(tickets.find(d.tenant(), anna, unwatched.number()).await()).isEmpty();
    tickets.addComment(d.tenant(), anna, watched.number(), "still following", false).await();
    assertThat(TestFutures.problemOf(watchers.candidates(d.tenant(), anna, watched.number())).code())
        .isEqualTo("ticket.watchers-forbidden");
    assertThat(TestFutures.problemOf(watchers.add(d.tenant(), anna, watched.number(), d.boris().id())).status())
        .isEqualTo(403);
    assertThat(watchers.remove(d.tenant(), anna, watched.number(), anna.userId()).await().watchers()).isEmpty();
    assertThat(tickets.find(d.tenant(), anna, watched.number()).await()).isEmpty();
  }

  @Test
  @DisplayName("watchers get a mail row for each mail the requester gets (registration aside), none when the watcher is the requester")
  void watchersGetTheRequestersMailRows() throws Exception {
    Desk d = desk();
    Ticket t = d.file(d.anna(), d.b(), "mail");
    watchers.add(d.tenant(), d.caller(d.anna()), t.number(), d.boris().id()).await();
    watchers.add(d.tenant(), d.caller(d.anna()), t.number(), d.anna().id()).await();
    tickets.addComment(d.tenant(), d.agent(), t.number(), "Проверяем", false).await();
    tickets.addComment(d.tenant(), d.agent(), t.number(), "internal", true).await();
    tickets.transition(d.tenant(), d.agent(), t.number(), "start", x -> WorkflowStatus.IN_PROGRESS).await();

    List<JsonObject> rows = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement ps = c.prepareStatement("SELECT kind, payload ->> 'recipientId' FROM mail_outbox"
            + " WHERE tenant_id = ? ORDER BY created_at, event_sequence, payload ->> 'recipientId' NULLS FIRST")) {
      ps.setString(1, d.tenant());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new JsonObject().put("kind", rs.getString(1)).put("to", rs.getString(2)));
        }
      }
    }
    String boris = d.boris().id().toString();
    assertThat(rows).containsExactly(
        new JsonObject().put("kind", "ticket.created").put("to", null),
        new JsonObject().put("kind", "ticket.comment-added").put("to", null),
        new JsonObject().put("kind", "ticket.comment-added").put("to", boris),
        new JsonObject().put("kind", "ticket.status-changed").put("to", null),
        new JsonObject().put("kind", "ticket.status-changed").put("to", boris));
  }

  @Test
  @DisplayName("a mass notice to organisation B reaches a person whose membership of B is not their primary")
  void massNoticeReachesMembersOfTheOrganisation() {
    Desk d = desk();
    MassNoticeStore notices = new MassNoticeStore(tx, Clock.systemUTC());
    MassNotice notice = notices.publish(d.tenant(), d.agent().userId(), new MassNoticeStore.NewNotice(
        MassNotice.Kind.NEWS, dev.otklik.core.tenant.LocalizedText.ru("Новость"),
        dev.otklik.core.tenant.LocalizedText.ru("Текст"), MassNotice.Audience.ORGANISATIONS, List.of(d.b().id())))
        .await();
    assertThat(notice.recipientCount()).isEqualTo(2);
    assertThat(notices.inbox(d.tenant(), d.anna().id(), 0, 10).await().items()).extracting(MassNotice.Received::id)
        .containsExactly(notice.id());
    assertThat(notices.inbox(d.tenant(), d.alice().id(), 0, 10).await().total()).isZero();
  }
}
