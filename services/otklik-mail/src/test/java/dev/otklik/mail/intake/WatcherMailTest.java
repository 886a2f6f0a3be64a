package dev.otklik.mail.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.mail.inbound.ParsedMail;
import dev.otklik.mail.outbound.MailDispatcherVerticle;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import dev.otklik.store.WatcherStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Watchers of a request (V021) get the requester's mail, in real mailboxes (GreenMail). */
@DisplayName("Watcher mail")
class WatcherMailTest {

  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL =
      new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

  private final Vertx vertx = TestDatabase.vertx();
  private final GreenMailBoxes boxes = new GreenMailBoxes(GREEN_MAIL);
  private final List<String> deployments = new ArrayList<>();
  private MailDesk desk;
  private MailDispatcherVerticle dispatcher;
  private WatcherStore watchers;
  private UserAccount boris;

  @BeforeEach
  void deploy() {
    desk = MailDesk.bouncing(Clock.systemUTC());
    dispatcher = desk.dispatcher(boxes::sender);
    deployments.add(vertx.deployVerticle(dispatcher).await());
    watchers = new WatcherStore(desk.tx, Clock.systemUTC());
    boris = new UserStore(desk.tx).create(desk.tenantId, new UserStore.NewUser("boris@" + desk.domain, "Борис",
        "ru", null, Role.CUSTOMER, desk.organisation.id())).await();
  }

  @AfterEach
  void undeploy() {
    deployments.forEach(id -> vertx.undeploy(id).await());
  }



  @Test
  @DisplayName("a watcher gets the staff comment, the clarification request and the status change the requester gets; the requester watching gets each mail once")
  void watcherGetsWhatTheRequesterGets() throws Exception {
    Ticket t = desk.portalRequest("Общий принтер");
    watchers.add(desk.tenantId, desk.requester(), t.number(), boris.id()).await();
    watchers.add(desk.tenantId, desk.requester(), t.number(), desk.customer.id()).await();
    TicketStore tickets = desk.tickets();
    tickets.addComment(desk.tenantId, desk.requester(), t.number(), "Дополняю сама", false).await();
    tickets.addComment(desk.tenantId, desk.staff(), t.number(), "Проверяем драйвер", false).await();
    tickets.addComment(desk.tenantId, desk.staff(), t.number(), "Внутреннее", true).await();
    tickets.transition(desk.tenantId, desk.staff(), t.number(), "start", x -> WorkflowStatus.IN_PROGRESS).await();
    tickets.transition(desk.tenantId, desk.staff(), t.number(), "ask-clarification",
        x -> WorkflowStatus.WAITING_FOR_CUSTOMER).await();

    dispatcher.dispatchOnce().await();

    String n = "[" + t.number() + "] ";
    assertThat(boxes.subjects(desk.customer.email())).containsExactlyInAnyOrder(n + "Обращение зарегистрировано",
        n + "Новый комментарий", n + "Статус: in-progress", n + "Нужно уточнение");
    assertThat(boxes.subjects(boris.email())).as("registered before he watched; the customer's own comment sends nothing")
        .containsExactlyInAnyOrder(n + "Новый комментарий", n + "Статус: in-progress", n + "Нужно уточнение");
    ParsedMail comment = boxes.read(boris.email()).stream().filter(m -> m.subject().endsWith("Новый комментарий"))
        .findFirst().orElseThrow();
    assertThat(comment.textBody()).contains("Проверяем драйвер").doesNotContain("Внутреннее");
    assertThat(comment.references()).as("threaded with the request's earlier mail").isNotEmpty();
  }

  @Test
  @DisplayName("a watcher who opted out gets no status-change mail; one removed before the mail went out gets nothing")
  void optedOutAndRemovedWatchers() throws Exception {
    UserAccount vera = new UserStore(desk.tx).create(desk.tenantId, new UserStore.NewUser("vera@" + desk.domain,
        "Вера", "ru", null, Role.CUSTOMER, desk.organisation.id())).await();
    desk.store.setOptOut(desk.tenantId, boris.id(), true).await();
    Ticket t = desk.portalRequest("Отписка наблюдателя");
    watchers.add(desk.tenantId, desk.requester(), t.number(), boris.id()).await();
    watchers.add(desk.tenantId, desk.requester(), t.number(), vera.id()).await();
    desk.tickets().transition(desk.tenantId, desk.staff(), t.number(), "start", x -> WorkflowStatus.IN_PROGRESS)
        .await();
    desk.tickets().transition(desk.tenantId, desk.staff(), t.number(), "ask-clarification",
        x -> WorkflowStatus.WAITING_FOR_CUSTOMER).await();
    watchers.remove(desk.tenantId, desk.staff(), t.number(), vera.id()).await();

    dispatcher.dispatchOnce().await();

    assertThat(boxes.subjects(boris.email())).containsExactly("[" + t.number() + "] Нужно уточнение");
    assertThat(boxes.read(vera.email())).isEmpty();
    assertThat(desk.outbox()).filteredOn(r -> "skipped".equals(r.getString("state")))
        .extracting(r -> r.getString("last_error"))
        .containsExactlyInAnyOrder("opted out of non-contractual mail", "no longer watching", "no longer watching");
  }
}
