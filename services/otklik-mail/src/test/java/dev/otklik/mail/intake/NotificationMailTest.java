package dev.otklik.mail.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.mail.inbound.ParsedMail;
import dev.otklik.mail.outbound.MailDispatcherVerticle;
import dev.otklik.store.MassNotice;
import dev.otklik.store.MassNoticeStore;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which request events send which mail to whom, checked in real mailboxes (GreenMail). */
@DisplayName("Notification mail")
class NotificationMailTest {

  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL =
      new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

  private final Vertx vertx = TestDatabase.vertx();
  private final GreenMailBoxes boxes = new GreenMailBoxes(GREEN_MAIL);
  private final List<String> deployments = new ArrayList<>();
  private MailDesk desk;
  private MailDispatcherVerticle dispatcher;

  @BeforeEach
  void deploy() {
    desk = MailDesk.bouncing(Clock.systemUTC());
    dispatcher = dispatcher();
  }

  private MailDispatcherVerticle dispatcher() {
    MailDispatcherVerticle d = desk.dispatcher(boxes::sender);
    deployments.add(vertx.deployVerticle(d).await());
    return d;
  }

  @AfterEach
  void undeploy() {
    deployments.forEach(id -> vertx.undeploy(id).await());
  }



  @Test
  @DisplayName("an agent's comment, a clarification request and a proposed solution each reach the requester; the customer's own comment does not")
  void agentActivityReachesTheRequester() throws Exception {
    Ticket t = desk.portalRequest("Не печатается отчёт");
    TicketStore tickets = desk.tickets();
    tickets.addComment(desk.tenantId, desk.requester(), t.number(), "Дополняю: и на втором принтере", false).await();
    tickets.addComment(desk.tenantId, desk.staff(), t.number(), "Проверяем, пришлите версию", false).await();
    tickets.addComment(desk.tenantId, desk.staff(), t.number(), "Внутренняя заметка", true).await();
    tickets.transition(desk.tenantId, desk.staff(), t.number(), "ask-clarification",
        x -> WorkflowStatus.WAITING_FOR_CUSTOMER).await();
    tickets.transition(desk.tenantId, desk.staff(), t.number(), "propose-solution",
        x -> WorkflowStatus.SOLUTION_PROPOSED).await();

    assertThat(dispatcher.dispatchOnce().await()).isEqualTo(4);

    String n = "[" + t.number() + "] ";
    assertThat(boxes.subjects(desk.customer.email())).containsExactlyInAnyOrder(n + "Обращение зарегистрировано",
        n + "Новый комментарий", n + "Нужно уточнение", n + "Решение на проверку");
    ParsedMail comment = boxes.read(desk.customer.email()).stream()
        .filter(m -> m.subject().endsWith("Новый комментарий")).findFirst().orElseThrow();
    assertThat(comment.textBody()).contains("Проверяем, пришлите версию").contains("Иван")
        .doesNotContain("Внутренняя заметка");
    assertThat(comment.references()).as("threaded with the registration mail").isNotEmpty();
    assertThat(desk.outbox()).extracting(r -> r.getString("state"))
        .containsOnly("sent", "skipped").filteredOn("skipped"::equals).hasSize(1);
  }

  @Test
  @DisplayName("a customer who opted out gets no status-change mail, but still the contractual ones")
  void optedOutCustomerGetsOnlyContractualMail() throws Exception {
    desk.store.setOptOut(desk.tenantId, desk.customer.id(), true).await();
    Ticket t = desk.portalRequest("Отписка");
    desk.tickets().transition(desk.tenantId, desk.staff(), t.number(), "start", x -> WorkflowStatus.IN_PROGRESS)
        .await();
    desk.tickets().transition(desk.tenantId, desk.staff(), t.number(), "ask-clarification",
        x -> WorkflowStatus.WAITING_FOR_CUSTOMER).await();

    dispatcher.dispatchOnce().await();

    assertThat(boxes.subjects(desk.customer.email())).containsExactlyInAnyOrder(
        "[" + t.number() + "] Обращение зарегистрировано", "[" + t.number() + "] Нужно уточнение");
    assertThat(desk.outbox()).filteredOn(r -> "skipped".equals(r.getString("state")))
        .singleElement().satisfies(r -> assertThat(r.getString("last_error")).contains("opted out"));

    desk.store.setOptOut(desk.tenantId, desk.customer.id(), false).await();
    desk.tickets().transition(desk.tenantId, desk.staff(), t.number(), "start", x -> WorkflowStatus.IN_PROGRESS)
        .await();
    dispatcher.dispatchOnce().await();
    assertThat(boxes.subjects(desk.customer.email())).contains("[" + t.number() + "] Статус: in-progress");
  }

  @Test
  @DisplayName("a hotline request with a callback promise sends the promise with its date")
  void hotlineCallbackPromiseIsMailed() throws Exception {
    OffsetDateTime due = OffsetDateTime.parse("2026-11-26T12:00:00Z");
    Ticket t = desk.tickets().create(desk.tenantId, desk.staff(), new TicketStore.NewTicket("TST",
        ZoneId.of("Europe/Moscow"), "phone", null, null, null, null, null, "Звонок на горячую линию", null, null,
        desk.organisation.id(), desk.customer.id(), null, null, due)).await().value();

    dispatcher.dispatchOnce().await();

    assertThat(boxes.read(desk.customer.email())).singleElement().satisfies(m -> {
      assertThat(m.subject()).isEqualTo("[" + t.number() + "] Мы перезвоним");
      assertThat(m.textBody()).contains("26.11.2026 15:00");
    });
  }

  @Test
  @DisplayName("SLA warnings and breaches go to the assignee, or to coordinators and admins when nobody is assigned")
  void slaWarningsAndBreachesReachStaff() throws Exception {
    var coordinator = new dev.otklik.store.UserStore(desk.tx).create(desk.tenantId, new dev.otklik.store.UserStore.NewUser(
        "coord-" + desk.tenantId + "@desk.test", "Координатор", "en", null, Role.COORDINATOR, null)).await();
    Ticket unassigned = desk.portalRequest("Без исполнителя");
    Ticket assigned = desk.portalRequest("С исполнителем");
    desk.tickets().updateTriage(desk.tenantId, desk.staff(), assigned.number(), assigned.version(),
        f -> new TicketStore.TriageFields(f.category(), f.priority(), f.severity(), desk.agent.id(), f.plannedDate()))
        .await();
    slaEvent(unassigned, "sla-breached");
    slaEvent(assigned, "sla-warning");

    dispatcher.dispatchOnce().await();

    assertThat(boxes.subjects(coordinator.email())).containsExactly("[" + unassigned.number() + "] SLA deadline breached");
    assertThat(boxes.subjects(desk.agent.email())).containsExactly("[" + assigned.number() + "] Срок SLA скоро истекает");
    assertThat(boxes.read(desk.agent.email()).get(0).textBody()).contains("reaction");
  }

  @Test
  @DisplayName("an escalation is mailed to the coordinators and the assignee, with the target and the new priority")
  void escalationReachesCoordinatorsAndAssignee() throws Exception {
    var coordinator = new dev.otklik.store.UserStore(desk.tx).create(desk.tenantId, new dev.otklik.store.UserStore.NewUser(
        "esc-" + desk.tenantId + "@desk.test", "Координатор", "en", null, Role.COORDINATOR, null)).await();
    Ticket t = desk.portalRequest("Горит");
    desk.tickets().updateTriage(desk.tenantId, desk.staff(), t.number(), t.version(),
        f -> new TicketStore.TriageFields(f.category(), f.priority(), f.severity(), desk.agent.id(), f.plannedDate()))
        .await();
    event(t, "escalated", new JsonObject().put("target", "resolution").put("trigger", "breach")
        .put("priority", "urgent"));

    dispatcher.dispatchOnce().await();

    assertThat(boxes.subjects(coordinator.email())).containsExactly("[" + t.number() + "] Эскалация обращения");
    assertThat(boxes.subjects(desk.agent.email())).containsExactly("[" + t.number() + "] Эскалация обращения");
    assertThat(boxes.read(desk.agent.email()).get(0).textBody()).contains("resolution").contains("urgent");
  }

  @Test
  @DisplayName("a webhook endpoint disabled after failing for days is mailed to the tenant admins with its URL and reason")
  void disabledWebhookEndpointIsMailedToAdmins() throws Exception {
    desk.tx.inTenant(desk.tenantId, conn -> desk.store.insertDirect(conn, desk.tenantId, "webhook-endpoint-disabled",
        null, new JsonObject().put("to", new io.vertx.core.json.JsonArray().add("admin-" + desk.tenantId + "@desk.test"))
            .put("template", "webhook-endpoint-disabled").put("values", new JsonObject()
                .put("url", "https://jira.example/hook").put("reason", "failing since 2026-11-18")))).await();

    dispatcher.dispatchOnce().await();

    String admin = "admin-" + desk.tenantId + "@desk.test";
    assertThat(boxes.subjects(admin)).containsExactly("Вебхук отключён: https://jira.example/hook");
    assertThat(boxes.read(admin).get(0).textBody()).contains("failing since 2026-11-18");
  }

  @Test
  @DisplayName("a mass notice is mailed to each recipient; news is not mailed to someone who opted out")
  void massNoticesAreMailedToRecipients() throws Exception {
    var other = new dev.otklik.store.UserStore(desk.tx).create(desk.tenantId, new dev.otklik.store.UserStore.NewUser(
        "boris@" + desk.domain, "Борис", "en", null, Role.CUSTOMER, desk.organisation.id())).await();
    desk.store.setOptOut(desk.tenantId, other.id(), true).await();
    MassNoticeStore notices = new MassNoticeStore(desk.tx, desk.clock);
    notices.publish(desk.tenantId, desk.agent.id(), new MassNoticeStore.NewNotice(MassNotice.Kind.MAINTENANCE,
        LocalizedText.of("Плановые работы", "Maintenance"), LocalizedText.of("Сервис недоступен ночью.",
            "The service is down tonight."), MassNotice.Audience.ALL_CUSTOMERS, List.of())).await();
    notices.publish(desk.tenantId, desk.agent.id(), new MassNoticeStore.NewNotice(MassNotice.Kind.NEWS,
        LocalizedText.of("Новости", "News"), LocalizedText.of("Вышла версия 8.", "Version 8 is out."),
        MassNotice.Audience.ALL_CUSTOMERS, List.of())).await();

    dispatcher.dispatchOnce().await();

    assertThat(boxes.subjects(desk.customer.email())).containsExactlyInAnyOrder("Плановые работы", "Новости");
    assertThat(boxes.subjects(other.email())).as("English, and no news after opting out").containsExactly("Maintenance");
    assertThat(boxes.read(other.email()).get(0).textBody()).contains("The service is down tonight.");
  }

  @Test
  @DisplayName("two dispatchers working the same outbox at once send each mail exactly once")
  void twoDispatchersSendEachMailOnce() throws Exception {
    for (int i = 0; i < 12; i++) {
      desk.portalRequest("Запрос " + i);
    }
    MailDispatcherVerticle second = dispatcher();
    Future.all(dispatcher.dispatchOnce(), second.dispatchOnce(), dispatcher.dispatchOnce()).await();

    assertThat(boxes.read(desk.customer.email())).hasSize(12);
    assertThat(desk.outbox()).extracting(r -> r.getString("state")).containsOnly("sent");
  }

  @Test
  @DisplayName("a change that rolls back leaves no mail behind: the outbox row is in its transaction")
  void rolledBackChangeLeavesNoMail() {
    var stranger = new TicketStore.Caller(desk.agent.id(), Role.AGENT, null);
    Future<?> failed = desk.tickets().create(desk.tenantId, stranger, new TicketStore.NewTicket("TST",
        ZoneId.of("Europe/Moscow"), "portal", null, null, null, null, null, "x", null, null, desk.organisation.id(),
        desk.agent.id(), null, null, null)); // an agent cannot be the requester: refused inside the transaction
    assertThat(failed.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(30));
    assertThat(desk.outbox()).isEmpty();
  }

  /** What the SLA timer verticle records when a timer fires: an event and its outbox row. */
  private void slaEvent(Ticket t, String type) throws Exception {
    event(t, type, new JsonObject().put("target", "reaction").put("type", "reaction"));
  }

  private void event(Ticket t, String type, JsonObject afterJson) throws Exception {
    try (Connection c = TestDatabase.superuserConnection()) {
      c.setAutoCommit(false);
      long seq;
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE tenant_event_counter SET last_sequence = last_sequence + 1 WHERE tenant_id = ? RETURNING last_sequence")) {
        s.setString(1, desk.tenantId);
        var rs = s.executeQuery();
        rs.next();
        seq = rs.getLong(1);
      }
      String after = afterJson.encode();
      try (PreparedStatement s = c.prepareStatement("INSERT INTO ticket_event (tenant_id, sequence, ticket_id, type, "
          + "actor_id, public, before, after, created_at) VALUES (?, ?, ?, ?, NULL, false, NULL, ?::jsonb, now())")) {
        s.setString(1, desk.tenantId);
        s.setLong(2, seq);
        s.setObject(3, t.id());
        s.setString(4, type);
        s.setString(5, after);
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO outbox (id, tenant_id, event_sequence, kind, payload, "
          + "created_at) VALUES (gen_random_uuid(), ?, ?, ?, ?::jsonb, now())")) {
        s.setString(1, desk.tenantId);
        s.setLong(2, seq);
        s.setString(3, "ticket." + type);
        s.setString(4, new JsonObject().put("ticketId", t.id().toString()).put("number", t.number()).encode());
        s.executeUpdate();
      }
      c.commit();
    }
  }
}
