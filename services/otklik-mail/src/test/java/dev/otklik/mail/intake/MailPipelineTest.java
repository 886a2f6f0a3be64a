package dev.otklik.mail.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otklik.mail.inbound.ParsedAttachment;
import dev.otklik.mail.inbound.ParsedMail;
import dev.otklik.mail.outbound.MailDispatcherVerticle;
import dev.otklik.store.MailStore;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole mail loop against real SMTP and IMAP servers (GreenMail): mail in the tenant's
 * support mailbox is polled, becomes a request or a comment in PostgreSQL, and the notification
 * goes out through the outbox to the customer's mailbox.
 */
@DisplayName("Mail pipeline with GreenMail (IMAP in, SMTP out)")
class MailPipelineTest {

  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL =
      new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

  private final Vertx vertx = TestDatabase.vertx();
  private final GreenMailBoxes boxes = new GreenMailBoxes(GREEN_MAIL);
  private final List<String> deployments = new ArrayList<>();
  private MailDesk desk;
  private MailIntakeVerticle poller;
  private MailDispatcherVerticle dispatcher;

  @BeforeEach
  void deploy() {
    desk = MailDesk.forwarding(Clock.systemUTC());
    MailIntakeVerticle.Mailbox mailbox = boxes.mailbox(desk.tenant.sender().address());
    poller = new MailIntakeVerticle(desk.intake(vertx), () -> List.of(desk.tenantId), id -> Optional.of(mailbox),
        Duration.ZERO);
    dispatcher = desk.dispatcher(boxes::sender);
    deployments.add(vertx.deployVerticle(poller).await());
    deployments.add(vertx.deployVerticle(dispatcher).await());
  }

  @AfterEach
  void undeploy() {
    deployments.forEach(id -> vertx.undeploy(id).await());
  }

  private String support() {
    return desk.tenant.sender().address();
  }

  private String customer() {
    return desk.customer.email();
  }

  @Test
  @DisplayName("a registered customer's mail becomes a request, and the registration mail carries its number, date and time")
  void customerMailIsRegisteredAndAcknowledgedWithNumberAndTime() throws Exception {
    String mid = "first-" + UUID.randomUUID() + "@" + desk.domain;
    boxes.deliver(support(), GreenMailBoxes.mail("Анна Петрова <" + customer() + ">", support(),
        "Не формируется отчёт по приёмам", mid, "", "Отчёт по приёмам падает с ошибкой 500.\n\nС уважением,\nАнна"));

    assertThat(poller.pollOnce().await()).isEqualTo(1);

    List<Ticket> tickets = desk.allTickets();
    assertThat(tickets).hasSize(1);
    Ticket t = tickets.get(0);
    assertThat(t.channel()).isEqualTo("email");
    assertThat(t.subject()).isEqualTo("Не формируется отчёт по приёмам");
    assertThat(t.description()).contains("Отчёт по приёмам падает с ошибкой 500.");
    assertThat(t.requesterId()).isEqualTo(desk.customer.id());
    assertThat(t.number()).matches("TST-\\d{4}-000001");
    assertThat(desk.inbound()).singleElement().satisfies(m -> {
      assertThat(m.state()).isEqualTo("processed");
      assertThat(m.outcome()).isEqualTo("registered");
      assertThat(m.ticketNumber()).isEqualTo(t.number());
      assertThat(m.messageId()).isEqualTo(mid);
    });
    assertThat(boxes.readRaw(support())).as("support mailbox after commit").isEmpty();

    assertThat(dispatcher.dispatchOnce().await()).isEqualTo(1);

    List<ParsedMail> got = boxes.read(customer());
    assertThat(got).hasSize(1);
    ParsedMail ack = got.get(0);
    String when = t.createdAt().atZoneSameInstant(ZoneId.of("Europe/Moscow"))
        .format(DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm"));
    assertThat(ack.subject()).isEqualTo("[" + t.number() + "] Обращение зарегистрировано");
    assertThat(ack.textBody()).contains(t.number()).contains(when).contains("Не формируется отчёт по приёмам");
    assertThat(ack.htmlBody()).contains("#0a5fa3").contains(t.number());
    assertThat(ack.from().address()).isEqualTo(support());
    assertThat(ack.messageId()).endsWith("@desk.test");
    assertThat(ack.inReplyTo()).isEqualTo(mid);
    assertThat(desk.outbox()).singleElement().satisfies(row -> {
      assertThat(row.getString("state")).isEqualTo("sent");
      assertThat(row.getString("message_id")).isEqualTo(ack.messageId());
    });
    assertThat(dispatcher.dispatchOnce().await()).as("sent once").isZero();
  }

  @Test
  @DisplayName("a request registered by mail gets the SLA deadlines that start on registration")
  void mailRegisteredRequestStartsItsClocks() {
    MailIntake intake = desk.intake(vertx).sla(id -> dev.otklik.store.TestSla.clocks());
    MailIntake.Result r = intake.receive(desk.tenantId, GreenMailBoxes.mail(customer(), support(), "Сроки",
        "sla-" + UUID.randomUUID() + "@" + desk.domain, "", "Проверка сроков.").getBytes(StandardCharsets.UTF_8),
        "http").await();

    var found = desk.tickets().findWithDeadlines(desk.tenantId, desk.staff(), r.ticketNumber()).await().orElseThrow();
    assertThat(found.deadlines()).extracting(d -> d.clock().targetId()).contains("triage");
  }

  @Test
  @DisplayName("a reply threads into the request it answers, by In-Reply-To or by the number in the subject, trimmed of quote and signature")
  void replyThreadsIntoTheRightRequest() throws Exception {
    boxes.deliver(support(), GreenMailBoxes.mail(customer(), support(), "Первая проблема",
        "a-" + UUID.randomUUID() + "@" + desk.domain, "", "Первая."));
    boxes.deliver(support(), GreenMailBoxes.mail(customer(), support(), "Вторая проблема",
        "b-" + UUID.randomUUID() + "@" + desk.domain, "", "Вторая."));
    poller.pollOnce().await();
    dispatcher.dispatchOnce().await();
    List<Ticket> tickets = desk.allTickets();
    assertThat(tickets).hasSize(2);
    Ticket first = tickets.stream().filter(t -> t.subject().equals("Первая проблема")).findFirst().orElseThrow();
    Ticket second = tickets.stream().filter(t -> t.subject().equals("Вторая проблема")).findFirst().orElseThrow();
    ParsedMail ackOfFirst = boxes.read(customer()).stream()
        .filter(m -> m.subject().contains(first.number())).findFirst().orElseThrow();

    // A reply by In-Reply-To only: the subject lost its number.
    boxes.deliver(support(), GreenMailBoxes.mail(customer(), support(), "Re: ответ",
        "r1-" + UUID.randomUUID() + "@" + desk.domain,
        "In-Reply-To: <" + ackOfFirst.messageId() + ">\r\nReferences: <" + ackOfFirst.messageId() + ">\r\n",
        "Версия 5.2.1, отчёт по приёмам.\n\nС уважением,\nАнна Петрова\n\n"
            + "23.11.2026, 10:00, Служба поддержки <" + support() + ">:\n> Ваше обращение зарегистрировано"));
    // A reply by number in the subject only.
    boxes.deliver(support(), GreenMailBoxes.mail(customer(), support(), "Re: [" + second.number() + "] уточнение",
        "r2-" + UUID.randomUUID() + "@" + desk.domain, "", "Скриншот пришлю позже.\n\n-- \nАнна"));
    assertThat(poller.pollOnce().await()).isEqualTo(2);

    assertThat(desk.allTickets()).as("no new request").hasSize(2);
    assertThat(desk.comments(first.number())).extracting(TicketStore.Comment::body)
        .containsExactly("Версия 5.2.1, отчёт по приёмам.");
    assertThat(desk.comments(second.number())).extracting(TicketStore.Comment::body)
        .containsExactly("Скриншот пришлю позже.");
    assertThat(desk.inbound()).filteredOn(m -> "commented".equals(m.outcome())).hasSize(2);
  }

  @Test
  @DisplayName("mail from an unregistered sender registers nothing: forwarded to the organisation's registered people, or answered")
  void emailFromUnregisteredSenderIsForwardedNotRegistered() throws Exception {
    String colleague = "petrov@" + desk.domain; // the organisation's domain, but no account
    String stranger = "nobody-" + UUID.randomUUID().toString().substring(0, 6) + "@elsewhere.test";
    boxes.deliver(support(), GreenMailBoxes.mail(colleague, support(), "Прошу помочь",
        "c-" + UUID.randomUUID() + "@" + desk.domain, "", "Не открывается модуль."));
    boxes.deliver(support(), GreenMailBoxes.mail(stranger, support(), "Вопрос", "s-" + UUID.randomUUID()
        + "@elsewhere.test", "", "Здравствуйте."));

    assertThat(poller.pollOnce().await()).isEqualTo(2);
    assertThat(desk.allTickets()).as("no request for unregistered senders").isEmpty();
    assertThat(desk.inbound()).extracting(MailStore.InboundSummary::outcome)
        .containsExactlyInAnyOrder("forwarded", "answered");
    assertThat(boxes.readRaw(support())).isEmpty();

    assertThat(dispatcher.dispatchOnce().await()).isEqualTo(2);

    ParsedMail forwarded = boxes.read(customer()).stream().filter(m -> m.subject().startsWith("Пересылка"))
        .findFirst().orElseThrow();
    assertThat(forwarded.subject()).isEqualTo("Пересылка: Прошу помочь");
    assertThat(forwarded.textBody()).contains(colleague).contains("Не открывается модуль.");
    assertThat(forwarded.attachments()).extracting(ParsedAttachment::fileName).anyMatch(n -> n.endsWith(".eml"));
    assertThat(boxes.read(colleague)).as("the unregistered colleague gets nothing").isEmpty();

    assertThat(boxes.read(stranger)).singleElement().satisfies(answer -> {
      assertThat(answer.subject()).isEqualTo("Письмо не зарегистрировано: Вопрос");
      assertThat(answer.textBody()).contains(stranger).contains("не зарегистрирован");
    });
  }

  @Test
  @DisplayName("a duplicate delivery (twice in the mailbox, once more over HTTP, or without Message-ID) creates nothing new")
  void duplicateDeliveryCreatesNothingNew() throws Exception {
    String raw = GreenMailBoxes.mail(customer(), support(), "Дубль", "dup-" + UUID.randomUUID() + "@" + desk.domain,
        "", "Одно и то же письмо.");
    String noId = GreenMailBoxes.mail(customer(), support(), "Без идентификатора", null, "", "Без Message-ID.");
    boxes.deliver(support(), raw);
    boxes.deliver(support(), raw);
    boxes.deliver(support(), noId);
    boxes.deliver(support(), noId);

    poller.pollOnce().await();
    MailIntake.Result again = desk.intake(vertx).receive(desk.tenantId, raw.getBytes(StandardCharsets.UTF_8), "http")
        .await();

    assertThat(again.duplicate()).isTrue();
    assertThat(again.state()).isEqualTo("processed");
    assertThat(desk.allTickets()).extracting(Ticket::subject).containsExactlyInAnyOrder("Дубль", "Без идентификатора");
    assertThat(desk.inbound()).hasSize(2);
    assertThat(desk.inbound()).extracting(MailStore.InboundSummary::dedupKey)
        .anyMatch(k -> k.startsWith("sha256:")).anyMatch(k -> k.startsWith("mid:"));
    assertThat(boxes.readRaw(support())).as("every copy removed once committed").isEmpty();

    assertThat(dispatcher.dispatchOnce().await()).isEqualTo(2);
    assertThat(boxes.read(customer())).hasSize(2);
  }
}
