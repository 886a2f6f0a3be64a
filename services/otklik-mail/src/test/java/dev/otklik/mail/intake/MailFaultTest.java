package dev.otklik.mail.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otklik.mail.inbound.ParsedMail;
import dev.otklik.mail.outbound.MailDispatcherVerticle;
import dev.otklik.store.TestClock;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.Ticket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults: SMTP down while requests are made, and a node dying between fetching mail and committing it. */
@DisplayName("Mail under faults")
class MailFaultTest {

  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL =
      new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

  private final Vertx vertx = TestDatabase.vertx();
  private final GreenMailBoxes boxes = new GreenMailBoxes(GREEN_MAIL);

  @Test
  @DisplayName("SMTP down while a request is created: the mail waits in the outbox, backs off, and is sent once when SMTP is back")
  void smtpDownThenBackSendsOnce() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-11-23T08:00:00Z"));
    MailDesk desk = MailDesk.bouncing(clock);
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: nothing listens there
    }
    int port = deadPort;
    MailDispatcherVerticle down = desk.dispatcher(v -> GreenMailBoxes.sender(v, port));
    String downId = vertx.deployVerticle(down).await();

    Ticket t = desk.portalRequest("Сервер почты недоступен");
    assertThat(desk.outbox()).as("outbox row written with the request").singleElement()
        .satisfies(row -> assertThat(row.getString("state")).isEqualTo("pending"));

    assertThat(down.dispatchOnce().await()).isZero();
    assertThat(down.dispatchOnce().await()).as("backing off: not due yet").isZero();
    JsonObject row = desk.outbox().get(0);
    assertThat(row.getString("state")).isEqualTo("pending");
    assertThat(row.getInteger("attempts")).isEqualTo(1);
    assertThat(row.getString("last_error")).isNotBlank();
    assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    vertx.undeploy(downId).await();

    // SMTP is back (another node, or this one after a restart), and the backoff has passed.
    clock.advance(Duration.ofMinutes(5));
    MailDispatcherVerticle up = desk.dispatcher(boxes::sender);
    String upId = vertx.deployVerticle(up).await();
    try {
      assertThat(up.dispatchOnce().await()).isEqualTo(1);
      assertThat(up.dispatchOnce().await()).isZero();
      List<ParsedMail> got = boxes.read(desk.customer.email());
      assertThat(got).singleElement().satisfies(m -> assertThat(m.subject()).contains(t.number()));
      assertThat(desk.outbox()).singleElement().satisfies(r -> {
        assertThat(r.getString("state")).isEqualTo("sent");
        assertThat(r.getInteger("attempts")).isEqualTo(2);
      });
    } finally {
      vertx.undeploy(upId).await();
    }
  }

  @Test
  @DisplayName("a message whose processing keeps failing is quarantined after a few attempts, not retried for ever")
  void repeatedlyFailingMessageIsQuarantined() {
    MailDesk desk = MailDesk.forwarding(java.time.Clock.systemUTC());
    MailIntake broken = desk.intake(vertx);
    broken.faults((tenantId, id) -> {
      throw new IllegalStateException("bug");
    });
    byte[] raw = GreenMailBoxes.mail(desk.customer.email(), "support@desk.test", "Снова и снова",
        "again-" + UUID.randomUUID() + "@" + desk.domain, "", "Текст.").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 1; i < MailIntake.MAX_FAILED_ATTEMPTS; i++) {
      assertThat(broken.receive(desk.tenantId, raw, "http").toCompletionStage().toCompletableFuture())
          .failsWithin(Duration.ofSeconds(30));
      assertThat(desk.inbound()).singleElement().satisfies(m -> assertThat(m.state()).isEqualTo("received"));
    }
    MailIntake.Result last = broken.receive(desk.tenantId, raw, "http").await();

    assertThat(last.state()).isEqualTo("quarantined");
    assertThat(desk.inbound()).singleElement().satisfies(m -> {
      assertThat(m.state()).isEqualTo("quarantined");
      assertThat(m.problem()).contains("bug");
    });
    assertThat(desk.allTickets()).isEmpty();
  }

  @Test
  @DisplayName("a node dies between fetching a mail and committing it: after restart the mail is processed exactly once")
  void crashBetweenFetchAndCommitProcessesOnce() throws Exception {
    MailDesk desk = MailDesk.forwarding(java.time.Clock.systemUTC());
    MailIntakeVerticle.Mailbox mailbox = boxes.mailbox(desk.tenant.sender().address());
    boxes.deliver(mailbox.user(), GreenMailBoxes.mail(desk.customer.email(), mailbox.user(), "Падает при сохранении",
        "crash-" + UUID.randomUUID() + "@" + desk.domain, "", "Текст обращения."));

    MailIntake dying = desk.intake(vertx);
    dying.faults((tenantId, id) -> {
      throw new IllegalStateException("node killed before commit");
    });
    MailIntakeVerticle first = new MailIntakeVerticle(dying, () -> List.of(desk.tenantId), id -> Optional.of(mailbox),
        Duration.ZERO);
    String firstId = vertx.deployVerticle(first).await();
    assertThat(first.pollOnce().await()).isZero();
    vertx.undeploy(firstId).await(); // the node is gone

    assertThat(desk.allTickets()).as("rolled back").isEmpty();
    assertThat(desk.inbound()).singleElement().satisfies(m -> assertThat(m.state()).isEqualTo("received"));
    assertThat(boxes.readRaw(mailbox.user())).as("still in the mailbox, unseen").hasSize(1);

    MailIntakeVerticle restarted = new MailIntakeVerticle(desk.intake(vertx), () -> List.of(desk.tenantId),
        id -> Optional.of(mailbox), Duration.ZERO);
    String restartedId = vertx.deployVerticle(restarted).await();
    try {
      restarted.pollOnce().await();
      restarted.pollOnce().await();
    } finally {
      vertx.undeploy(restartedId).await();
    }

    assertThat(desk.allTickets()).extracting(Ticket::subject).containsExactly("Падает при сохранении");
    assertThat(desk.inbound()).singleElement().satisfies(m -> {
      assertThat(m.state()).isEqualTo("processed");
      assertThat(m.outcome()).isEqualTo("registered");
    });
    assertThat(boxes.readRaw(mailbox.user())).as("removed after commit").isEmpty();
    assertThat(desk.outbox()).as("one registration mail").hasSize(1);
  }
}
