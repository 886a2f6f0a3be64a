package dev.otklik.mail.outbound;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;

/**
 * Sends composed mail over SMTP with vertx-mail-client. Non-blocking; use from any Vert.x context.
 *
 * <p>{@link MailConfig#getOwnHostname()} must be set (the tenant-independent host name used in
 * EHLO): without it the client falls back to the OS host name, often "localhost".
 */
public final class SmtpSender {

  private final MailClient client;

  public SmtpSender(Vertx vertx, MailConfig config) {
    if (config.getOwnHostname() == null || config.getOwnHostname().isBlank()) {
      throw new IllegalArgumentException("MailConfig.ownHostname must be set, or EHLO says localhost");
    }
    this.client = MailClient.create(vertx, config);
  }

  /**
   * Sends {@code mail}; succeeds with its Message-ID (without brackets) once the server accepted
   * it for at least one recipient, fails with the SMTP error otherwise.
   */
  public Future<String> send(ComposedMail mail) {
    return client.sendMail(mail.message()).map(result -> mail.messageId());
  }

  public Future<Void> close() {
    return client.close();
  }
}
