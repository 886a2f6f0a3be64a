package dev.otklik.mail.inbound;

import dev.otklik.mail.MailAddress;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw RFC 822 bytes into a {@link ParsedMail}. Thread-safe; never throws on bad input.
 *
 * <p><b>Blocking:</b> parsing is CPU work proportional to the message size (tens of milliseconds
 * for a message with megabytes of attachments). Callers on a Vert.x event loop must run it through
 * {@code vertx.executeBlocking(() -> parser.parse(bytes))}.
 *
 * <p>Forwarded messages (message/rfc822 parts): a support desk wants to read what was forwarded
 * without opening files, so the forwarded text is inlined into {@link ParsedMail#textBody()} below
 * a "Forwarded message" header, its attachments are lifted into the outer attachment list, and
 * the original is also kept byte-for-byte as one {@code .eml} attachment.
 */
public final class InboundMailParser {

  /**
   * Size limits. A message over {@code maxMessageBytes} is not parsed beyond its headers; an
   * attachment over {@code maxAttachmentBytes} is listed with its size but without content.
   * Either way the result is flagged {@link ParsedMail.Status#TOO_LARGE} with the reason.
   */
  public record Limits(long maxMessageBytes, long maxAttachmentBytes) {
    public static final Limits DEFAULT = new Limits(40L << 20, 20L << 20);

    public Limits {
      if (maxMessageBytes <= 0 || maxAttachmentBytes <= 0) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }

  private static final int MAX_DEPTH = 16;
  private static final List<String> KNOWN_HEADERS =
      List.of("from", "to", "cc", "subject", "date", "message-id", "content-type", "mime-version",
          "received", "return-path", "sender", "reply-to", "delivered-to", "in-reply-to");
  private static final Pattern FILENAME_FALLBACK =
      Pattern.compile("(?i)(?:file)?name\\*?=\\s*\"?([^\";]+)\"?");
  private static final Map<String, String> EXTENSIONS =
      Map.of("image/png", ".png", "image/jpeg", ".jpg", "image/gif", ".gif", "application/pdf", ".pdf",
          "text/plain", ".txt", "text/html", ".html", "message/rfc822", ".eml", "text/calendar", ".ics");

  private static final Session SESSION = Session.getInstance(sessionProperties());

  private final Limits limits;

  public InboundMailParser() {
    this(Limits.DEFAULT);
  }

  public InboundMailParser(Limits limits) {
    this.limits = limits;
  }

  /** Parses one message. Never throws; see {@link ParsedMail.Status}. */
  public ParsedMail parse(byte[] rfc822) {
    byte[] raw = rfc822 == null ? new byte[0] : rfc822;
    String sha256 = sha256(raw);
    if (raw.length == 0) {
      return unparseable(raw, sha256, "empty input");
    }
    try {
      if (raw.length > limits.maxMessageBytes()) {
        return headersOnly(raw, sha256);
      }
      return parse(raw, sha256, 0);
    } catch (Exception | StackOverflowError e) {
      return unparseable(raw, sha256, describe(e));
    }
  }

  private ParsedMail parse(byte[] raw, String sha256, int depth) throws Exception {
    MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
    if (!looksLikeMail(Collections.list(message.getAllHeaders()))) {
      return unparseable(raw, sha256, "no RFC 822 header found");
    }
    Body body = new Body();
    walk(message, depth, body);
    return assemble(message, body, sha256, raw);
  }

  /** Reads the header block only; the raw bytes kept are that block, not the oversized body. */
  private ParsedMail headersOnly(byte[] raw, String sha256) throws Exception {
    InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(raw));
    MimeMessage message = new MimeMessage(SESSION);
    for (var h : Collections.list(headers.getAllHeaders())) {
      message.addHeader(h.getName(), h.getValue());
    }
    Body body = new Body();
    body.tooLarge = "message is " + raw.length + " bytes, over the limit of " + limits.maxMessageBytes() + " bytes";
    body.notes.add("only the header block is kept; the body was not read");
    int headerEnd = indexOfBlankLine(raw);
    return assemble(message, body, sha256,
        Arrays.copyOf(raw, headerEnd < 0 ? Math.min(raw.length, 64 * 1024) : headerEnd));
  }

  private static ParsedMail assemble(MimeMessage message, Body body, String sha256, byte[] raw) {
    String text = body.texts.isEmpty() ? HtmlToText.convert(String.join("\n", body.htmls)) : String.join("\n\n", body.texts);
    if (!body.forwarded.isEmpty()) {
      text = (text + "\n\n" + String.join("\n\n", body.forwarded)).strip();
    }
    return new ParsedMail(
        body.tooLarge == null ? ParsedMail.Status.OK : ParsedMail.Status.TOO_LARGE,
        body.tooLarge,
        first(HeaderDecoder.messageIds(header(message, "Message-ID"))),
        first(HeaderDecoder.messageIds(header(message, "In-Reply-To"))),
        HeaderDecoder.messageIds(header(message, "References")),
        first(HeaderDecoder.addresses(header(message, "From"))),
        HeaderDecoder.addresses(header(message, "To")),
        HeaderDecoder.addresses(header(message, "Cc")),
        HeaderDecoder.decode(header(message, "Subject")),
        sentDate(message),
        text.replace("\r\n", "\n"),
        body.htmls.isEmpty() ? null : String.join("\n", body.htmls),
        body.attachments,
        sha256,
        body.notes,
        raw);
  }

  /** What the walk over the MIME tree collects. */
  private static final class Body {
    final List<String> texts = new ArrayList<>();
    final List<String> htmls = new ArrayList<>();
    final List<String> forwarded = new ArrayList<>();
    final List<ParsedAttachment> attachments = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    String tooLarge;
  }

  private void walk(Part part, int depth, Body body) throws Exception {
    ContentType type = contentType(part);
    String baseType = type.getBaseType().toLowerCase(Locale.ROOT);
    String fileName = fileName(part);
    boolean attachmentDisposition = "attachment".equalsIgnoreCase(disposition(part));
    if (depth > MAX_DEPTH) {
      body.notes.add("MIME nesting deeper than " + MAX_DEPTH + " levels; the rest is kept as an attachment");
      addAttachment(part, baseType, fileName, body);
      return;
    }
    if (baseType.startsWith("multipart/")) {
      Object content = part.getContent();
      if (content instanceof Multipart multipart) {
        if (baseType.equals("multipart/alternative")) {
          walkAlternative(multipart, depth, body);
        } else {
          for (int i = 0; i < multipart.getCount(); i++) {
            walk(multipart.getBodyPart(i), depth + 1, body);
          }
        }
        return;
      }
      body.notes.add("multipart without readable parts; kept as text");
      body.texts.add(text(part, type, body));
    } else if (baseType.equals("message/rfc822") || baseType.equals("message/global")) {
      byte[] inner = readAll(part);
      ParsedMail forwarded = parse(inner, sha256(inner), depth + 1);
      String name = fileName != null ? fileName : safeFileName(forwarded.subject(), "forwarded-message") + ".eml";
      body.attachments.add(attachment(name, baseType, null, inner, body));
      body.attachments.addAll(forwarded.attachments());
      body.forwarded.add(forwardedBlock(forwarded));
    } else if ((baseType.equals("text/plain") || baseType.equals("text/html"))
        && !attachmentDisposition
        && fileName == null) {
      String text = text(part, type, body);
      if (baseType.equals("text/plain")) {
        body.texts.add(text);
      } else {
        body.htmls.add(text);
      }
    } else {
      addAttachment(part, baseType, fileName, body);
    }
  }

  /** Picks one rendering of each kind: the plain text and the richest HTML (a related tree counts). */
  private void walkAlternative(Multipart multipart, int depth, Body body) throws Exception {
    String chosenText = null;
    String chosenHtml = null;
    for (int i = 0; i < multipart.getCount(); i++) {
      Body alternative = new Body();
      walk(multipart.getBodyPart(i), depth + 1, alternative);
      if (chosenText == null && !alternative.texts.isEmpty()) {
        chosenText = String.join("\n\n", alternative.texts);
      }
      if (!alternative.htmls.isEmpty()) {
        chosenHtml = String.join("\n", alternative.htmls);
      }
      body.attachments.addAll(alternative.attachments);
      body.forwarded.addAll(alternative.forwarded);
      body.notes.addAll(alternative.notes);
      if (alternative.tooLarge != null) {
        body.tooLarge = alternative.tooLarge;
      }
    }
    if (chosenText != null) {
      body.texts.add(chosenText);
    }
    if (chosenHtml != null) {
      body.htmls.add(chosenHtml);
    }
  }

  private void addAttachment(Part part, String baseType, String fileName, Body body) throws Exception {
    byte[] bytes = readAll(part);
    String name = fileName != null ? fileName : "attachment-" + (body.attachments.size() + 1) + EXTENSIONS.getOrDefault(baseType, ".bin");
    String contentId = HeaderDecoder.messageIds(firstHeader(part, "Content-ID")).stream().findFirst().orElse(null);
    body.attachments.add(attachment(name, baseType, contentId, bytes, body));
  }

  private ParsedAttachment attachment(String name, String type, String contentId, byte[] bytes, Body body) {
    if (bytes.length > limits.maxAttachmentBytes()) {
      body.tooLarge = "attachment '" + name + "' is " + bytes.length + " bytes, over the limit of "
          + limits.maxAttachmentBytes() + " bytes";
      return new ParsedAttachment(name, type, bytes.length, contentId, null);
    }
    return new ParsedAttachment(name, type, bytes.length, contentId, bytes);
  }

  private static String text(Part part, ContentType type, Body body) throws Exception {
    byte[] bytes = readAll(part);
    String declared = type.getParameter("charset");
    CyrillicCharsetGuesser.Decoded decoded = CyrillicCharsetGuesser.decode(bytes, declared);
    if (decoded.guessed()) {
      body.notes.add(type.getBaseType() + " part labelled "
          + (declared == null ? "without charset" : "'" + declared + "'") + " was read as " + decoded.charset().name());
    }
    return decoded.text().replace("\r\n", "\n");
  }

  private static String forwardedBlock(ParsedMail forwarded) {
    StringBuilder block = new StringBuilder("---------- Forwarded message ----------\n");
    if (forwarded.from() != null) {
      block.append("From: ").append(forwarded.from()).append('\n');
    }
    if (forwarded.date() != null) {
      block.append("Date: ").append(forwarded.date()).append('\n');
    }
    block.append("Subject: ").append(forwarded.subject()).append("\n\n").append(forwarded.textBody());
    return block.toString().strip();
  }

  private static byte[] readAll(Part part) throws Exception {
    try (InputStream in = part.getInputStream()) {
      return in.readAllBytes();
    } catch (jakarta.mail.MessagingException | IOException badTransferEncoding) {
      // Unknown or broken Content-Transfer-Encoding: the undecoded bytes are better than nothing.
      InputStream rawStream =
          part instanceof MimeBodyPart bodyPart ? bodyPart.getRawInputStream()
              : part instanceof MimeMessage message ? message.getRawInputStream() : null;
      if (rawStream == null) {
        throw badTransferEncoding;
      }
      try (rawStream) {
        return rawStream.readAllBytes();
      }
    }
  }

  private static ContentType contentType(Part part) {
    String raw = HeaderDecoder.unfold(firstHeader(part, "Content-Type"));
    if (raw == null || raw.isBlank()) {
      return new ContentType("text", "plain", null);
    }
    try {
      return new ContentType(raw);
    } catch (Exception malformed) {
      String base = raw.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      String[] slash = base.split("/", 2);
      ContentType fallback =
          slash.length == 2 && !slash[0].isBlank() && !slash[1].isBlank()
              ? new ContentType(slash[0], slash[1].replaceAll("[^a-z0-9.+-]", ""), null)
              : new ContentType("application", "octet-stream", null);
      Matcher charset = Pattern.compile("(?i)charset\\s*=\\s*\"?([A-Za-z0-9_.:-]+)").matcher(raw);
      if (charset.find()) {
        fallback.setParameter("charset", charset.group(1));
      }
      return fallback;
    }
  }

  private static String disposition(Part part) {
    String raw = HeaderDecoder.unfold(firstHeader(part, "Content-Disposition"));
    return raw == null ? null : raw.split(";", 2)[0].trim();
  }

  /** RFC 2231 (filename*=UTF-8''...) via Angus, then RFC 2047 words and raw 8-bit names via HeaderDecoder. */
  static String fileName(Part part) {
    String name = parameter(firstHeader(part, "Content-Disposition"), "filename", true);
    if (name == null) {
      name = parameter(firstHeader(part, "Content-Type"), "name", false);
    }
    if (name == null || name.isBlank()) {
      return null;
    }
    name = name.contains("=?") ? HeaderDecoder.decode(name) : name.strip();
    // Never trust a path from outside: keep the last segment only.
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    return name.isBlank() ? null : name;
  }

  private static String parameter(String rawHeader, String parameter, boolean disposition) {
    if (rawHeader == null) {
      return null;
    }
    String header = HeaderDecoder.decodeRaw(HeaderDecoder.unfold(rawHeader));
    try {
      String value = disposition
          ? new ContentDisposition(header).getParameter(parameter)
          : new ContentType(header).getParameter(parameter);
      if (value != null) {
        return value;
      }
    } catch (Exception malformed) {
      // fall through to the lenient pattern below
    }
    Matcher m = FILENAME_FALLBACK.matcher(header);
    while (m.find()) {
      String found = m.group(1).trim();
      if (m.group().toLowerCase(Locale.ROOT).startsWith(parameter)) {
        int quote = found.indexOf("''");
        return quote >= 0 ? URLDecoder.decode(found.substring(quote + 2), charsetOf(found.substring(0, quote))) : found;
      }
    }
    return null;
  }

  private static Charset charsetOf(String name) {
    var charset = CyrillicCharsetGuesser.charsetOrNull(name);
    return charset == null ? StandardCharsets.UTF_8 : charset;
  }

  private static String firstHeader(Part part, String name) {
    try {
      String[] values = part.getHeader(name);
      return values == null || values.length == 0 ? null : values[0];
    } catch (Exception unreadable) {
      return null;
    }
  }

  private static String header(MimeMessage message, String name) {
    return firstHeader(message, name);
  }

  private static Instant sentDate(MimeMessage message) {
    try {
      var date = message.getSentDate();
      return date == null ? null : date.toInstant();
    } catch (Exception unreadable) {
      return null;
    }
  }

  private static boolean looksLikeMail(List<jakarta.mail.Header> headers) {
    for (var header : headers) {
      if (header.getName() != null && KNOWN_HEADERS.contains(header.getName().trim().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static ParsedMail unparseable(byte[] raw, String sha256, String reason) {
    return new ParsedMail(ParsedMail.Status.UNPARSEABLE, reason, null, null, List.of(), null, List.of(),
        List.of(), "", null, "", null, List.of(), sha256, List.of(), raw);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }

  private static String safeFileName(String subject, String fallback) {
    String cleaned = subject == null ? "" : subject.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").strip();
    if (cleaned.length() > 80) {
      cleaned = cleaned.substring(0, 80).strip();
    }
    return cleaned.isEmpty() ? fallback : cleaned;
  }

  private static int indexOfBlankLine(byte[] raw) {
    for (int i = 0; i + 1 < raw.length; i++) {
      if (raw[i] == '\n' && (raw[i + 1] == '\n' || (raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n'))) {
        return i + 1;
      }
    }
    return -1;
  }

  private static <T> T first(List<T> values) {
    return values.isEmpty() ? null : values.get(0);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static Properties sessionProperties() {
    Properties properties = new Properties();
    // Lenient reading: real mail breaks these rules every day.
    properties.setProperty("mail.mime.address.strict", "false");
    properties.setProperty("mail.mime.parameters.strict", "false");
    properties.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
    properties.setProperty("mail.mime.multipart.ignoremissingboundaryparameter", "true");
    properties.setProperty("mail.mime.multipart.allowempty", "true");
    properties.setProperty("mail.mime.decodeparameters", "true");
    return properties;
  }
}
