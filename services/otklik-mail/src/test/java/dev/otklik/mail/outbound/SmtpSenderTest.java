package dev.otklik.mail.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otklik.core.tenant.Language;
import dev.otklik.mail.MailAddress;
import dev.otklik.mail.inbound.InboundMailParser;
import dev.otklik.mail.inbound.ParsedMail;
import dev.otklik.mail.inbound.ThreadingKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sends through a real SMTP server (GreenMail) and reads the result back over IMAP. */
@ExtendWith(VertxExtension.class)
@DisplayName("SmtpSender with GreenMail")
class SmtpSenderTest {

  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL =
      new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

  private static final String IDN_MAILBOX = "help@xn----8sbpjkdfsi6e.xn--p1ai";

  private SmtpSender sender;

  @BeforeEach
  void createSender(Vertx vertx) {
    sender = new SmtpSender(vertx, new MailConfig()
        .setHostname("127.0.0.1")
        .setPort(GREEN_MAIL.getSmtp().getPort())
        .setStarttls(StartTLSOptions.DISABLED)
        .setLogin(LoginOption.DISABLED)
        .setOwnHostname("mail.otklik.test"));
  }

  @AfterEach
  void closeSender() throws Exception {
    await(sender.close());
  }

  @Test
  @DisplayName("delivers a Cyrillic, numbered mail to an IDN mailbox and it parses back intact")
  void cyrillicMailReachesIdnMailboxAndParsesBack() throws Exception {
    OutboundMail mail = new OutboundMail(
        MailComposerTest.CIK_SENDER,
        List.of(new MailAddress("client@example.ru", "Иван Петров")),
        List.of(MailAddress.of("help@цик-алекон.рф")),
        MailComposerTest.ACCEPTED, Language.RU, Map.of("title", "не работает выгрузка"),
        "CIK-2026-000123", null, List.of(), true);

    String messageId = await(sender.send(new MailComposer().compose(mail)));

    assertThat(GREEN_MAIL.waitForIncomingEmail(10_000, 2)).isTrue();
    assertThat(fetchOverImap("client@example.ru")).isNotEmpty(); // each mailbox holds exactly one copy
    byte[] raw = fetchOverImap(IDN_MAILBOX);
    String rawText = new String(raw, java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(rawText).containsPattern("(?m)^Subject: =\\?UTF-8\\?Q\\?");

    ParsedMail parsed = new InboundMailParser().parse(raw);
    assertThat(parsed.status()).isEqualTo(ParsedMail.Status.OK);
    assertThat(parsed.subject()).isEqualTo("[CIK-2026-000123] Заявка принята: не работает выгрузка");
    assertThat(ThreadingKeys.forPrefix("CIK").requestNumber(parsed.subject())).contains("CIK-2026-000123");
    assertThat(parsed.messageId()).isEqualTo(messageId).endsWith("@xn----8sbpjkdfsi6e.xn--p1ai");
    assertThat(parsed.from()).isEqualTo(new MailAddress("help@цик-алекон.рф", "Служба поддержки ЦИК-Алекон"));
    assertThat(parsed.to()).containsExactly(new MailAddress("client@example.ru", "Иван Петров"));
    assertThat(parsed.cc()).containsExactly(MailAddress.of("help@цик-алекон.рф"));
    assertThat(parsed.cc().get(0).asciiAddress()).isEqualTo(IDN_MAILBOX);
    assertThat(parsed.textBody()).isEqualTo("Ваша заявка CIK-2026-000123 зарегистрирована.");
    assertThat(parsed.htmlBody()).isEqualTo("<p>Заявка <b>CIK-2026-000123</b>: не работает выгрузка</p>");
  }

  @Test
  @DisplayName("threads a reply: the customer's client sees In-Reply-To and References")
  void replyArrivesThreaded() throws Exception {
    OutboundMail reply = new OutboundMail(
        new MailAddress("support@inform.ivanovo.ru", "Поддержка АСМО"),
        List.of(MailAddress.of("client@example.ru")), List.of(),
        MailComposerTest.ACCEPTED, Language.EN, Map.of("title", "export fails"),
        "ASMO-2026-000123", "reply-2@example.ru", List.of("first@example.ru"), false);

    String messageId = await(sender.send(new MailComposer().compose(reply)));

    assertThat(GREEN_MAIL.waitForIncomingEmail(10_000, 1)).isTrue();
    ParsedMail parsed = new InboundMailParser().parse(fetchOverImap("client@example.ru"));
    assertThat(parsed.subject()).isEqualTo("[ASMO-2026-000123] Request accepted: export fails");
    assertThat(parsed.messageId()).isEqualTo(messageId).endsWith("@inform.ivanovo.ru");
    assertThat(parsed.inReplyTo()).isEqualTo("reply-2@example.ru");
    assertThat(parsed.references()).containsExactly("first@example.ru", "reply-2@example.ru");
  }

  @Test
  @DisplayName("refuses a MailConfig without ownHostname, so Message-IDs and EHLO never say localhost")
  void ownHostnameIsRequired(Vertx vertx) {
    assertThatThrownBy(() -> new SmtpSender(vertx, new MailConfig()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ownHostname");
  }

  private static byte[] fetchOverImap(String mailbox) throws Exception {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect("127.0.0.1", GREEN_MAIL.getImap().getPort(), mailbox, mailbox);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      Message[] messages = inbox.getMessages();
      assertThat(messages).hasSize(1);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      messages[0].writeTo(out);
      inbox.close(false);
      return out.toByteArray();
    } finally {
      store.close();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }
}
