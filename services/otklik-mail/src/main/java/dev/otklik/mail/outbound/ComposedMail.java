package dev.otklik.mail.outbound;

import io.vertx.ext.mail.MailMessage;

/**
 * A mail ready for {@link SmtpSender}.
 *
 * @param message the vertx-mail-client message, headers set; treat as read-only
 * @param messageId its Message-ID without angle brackets, the form {@code ParsedMail} uses, so a
 *     reply's In-Reply-To can be looked up directly
 */
public record ComposedMail(MailMessage message, String messageId) {}
