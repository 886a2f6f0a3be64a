package dev.otklik.mail.inbound;

import dev.otklik.mail.MailAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link InboundMailParser} made of one raw message. Immutable.
 *
 * <p>Parsing never throws: a message that is too large or cannot be read comes back with {@link
 * #status()} saying so and {@link #problem()} saying why, with whatever headers could be read and
 * the raw bytes, so it is kept for an admin to see rather than dropped.
 *
 * @param status OK, TOO_LARGE or UNPARSEABLE
 * @param problem why the status is not OK (English, for the admin log), or null
 * @param messageId the Message-ID without angle brackets, or null when the header is missing
 * @param inReplyTo the first In-Reply-To id without brackets, or null
 * @param references the References ids without brackets, oldest first
 * @param from the sender, or null when there is no usable From header
 * @param to the To recipients
 * @param cc the Cc recipients
 * @param subject the decoded subject, "" when missing
 * @param date the Date header, or null when missing or unreadable
 * @param textBody the plain text body; converted from HTML for HTML-only mail; "" when none
 * @param htmlBody the HTML body as sent, or null
 * @param attachments attachments, inline images and forwarded messages (as .eml), in order
 * @param contentSha256 lower-case hex SHA-256 of the raw bytes, the dedup key when Message-ID is missing
 * @param notes decoding decisions worth showing an admin, e.g. an overruled charset label
 * @param raw the raw message exactly as received
 */
public record ParsedMail(
    Status status,
    String problem,
    String messageId,
    String inReplyTo,
    List<String> references,
    MailAddress from,
    List<MailAddress> to,
    List<MailAddress> cc,
    String subject,
    Instant date,
    String textBody,
    String htmlBody,
    List<ParsedAttachment> attachments,
    String contentSha256,
    List<String> notes,
    byte[] raw) {

  /** Whether the message could be used as a request or reply. */
  public enum Status {
    OK,
    /** Over a configured size limit; headers and text are there, oversized content is not. */
    TOO_LARGE,
    /** Not a readable RFC 822 message; only {@link #raw()} and {@link #contentSha256()} are reliable. */
    UNPARSEABLE
  }

  public ParsedMail {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(contentSha256, "contentSha256");
    references = List.copyOf(references);
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    attachments = List.copyOf(attachments);
    notes = List.copyOf(notes);
    subject = subject == null ? "" : subject;
    textBody = textBody == null ? "" : textBody;
    raw = raw.clone();
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  public boolean tooLarge() {
    return status == Status.TOO_LARGE;
  }

  public boolean unparseable() {
    return status == Status.UNPARSEABLE;
  }

  /** The key to deduplicate deliveries by: the Message-ID, else the content hash. */
  public String dedupKey() {
    return messageId != null ? "mid:" + messageId : "sha256:" + contentSha256;
  }

  @Override
  public String toString() {
    return "ParsedMail[" + status + (problem == null ? "" : " (" + problem + ")") + ", id=" + messageId
        + ", from=" + from + ", subject=" + subject + ", attachments=" + attachments + "]";
  }
}
