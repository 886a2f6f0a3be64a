package dev.otklik.mail.intake;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.otklik.mail.inbound.InboundMailParser;
import dev.otklik.mail.inbound.ParsedMail;
import dev.otklik.mail.outbound.SmtpSender;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Real mailboxes in GreenMail: deliver raw mail into one, read one over IMAP. */
final class GreenMailBoxes {

  static final String PASSWORD = "mailbox-secret";

  private final GreenMailExtension greenMail;

  GreenMailBoxes(GreenMailExtension greenMail) {
    this.greenMail = greenMail;
  }

  /** The tenant's support mailbox as the poller sees it. */
  MailIntakeVerticle.Mailbox mailbox(String address) {
    greenMail.setUser(address, address, PASSWORD);
    return new MailIntakeVerticle.Mailbox("127.0.0.1", greenMail.getImap().getPort(), false, address, PASSWORD,
        "INBOX");
  }

  /** Puts a raw message into {@code address}'s inbox, as an MTA would. */
  void deliver(String address, byte[] raw) throws Exception {
    GreenMailUser user = greenMail.setUser(address, address, PASSWORD);
    user.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
  }

  void deliver(String address, String raw) throws Exception {
    deliver(address, raw.getBytes(StandardCharsets.UTF_8));
  }

  SmtpSender sender(Vertx vertx) {
    return sender(vertx, greenMail.getSmtp().getPort());
  }

  static SmtpSender sender(Vertx vertx, int port) {
    return new SmtpSender(vertx, new MailConfig().setHostname("127.0.0.1").setPort(port)
        .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED).setOwnHostname("mail.otklik.test")
        .setConnectTimeout(2000));
  }

  /** Every message in the mailbox (read over IMAP, without marking anything), parsed. */
  List<ParsedMail> read(String address) throws Exception {
    List<ParsedMail> out = new ArrayList<>();
    for (byte[] raw : readRaw(address)) {
      out.add(new InboundMailParser().parse(raw));
    }
    return out;
  }

  /** The subjects of every message in the mailbox, oldest first. */
  List<String> subjects(String address) throws Exception {
    return read(address).stream().map(ParsedMail::subject).toList();
  }

  List<byte[]> readRaw(String address) throws Exception {
    String login = address;
    if (greenMail.getUserManager().getUser(login) == null) {
      return List.of();
    }
    Properties props = new Properties();
    props.setProperty("mail.imap.peek", "true");
    Session session = Session.getInstance(props);
    List<byte[]> out = new ArrayList<>();
    try (Store store = session.getStore("imap")) {
      String password = greenMail.getUserManager().getUser(login).getPassword();
      store.connect("127.0.0.1", greenMail.getImap().getPort(), login, password);
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      for (Message m : inbox.getMessages()) {
        if (m.isSet(Flags.Flag.DELETED)) {
          continue;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeTo(bytes);
        out.add(bytes.toByteArray());
      }
      inbox.close(false);
    }
    return out;
  }

  /** A plain UTF-8 message. */
  static String mail(String from, String to, String subject, String messageId, String extraHeaders, String body) {
    return "From: " + from + "\r\n"
        + "To: " + to + "\r\n"
        + "Subject: " + encode(subject) + "\r\n"
        + "Date: Mon, 23 Nov 2026 10:15:00 +0300\r\n"
        + (messageId == null ? "" : "Message-ID: <" + messageId + ">\r\n")
        + extraHeaders
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n"
        + "\r\n"
        + body.replace("\n", "\r\n") + "\r\n";
  }

  private static String encode(String subject) {
    return "=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8))
        + "?=";
  }
}
