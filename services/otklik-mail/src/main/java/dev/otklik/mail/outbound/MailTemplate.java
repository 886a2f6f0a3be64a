package dev.otklik.mail.outbound;

import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.NotificationTemplate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A notification in Russian and optionally English, with {@code {{name}}} placeholders.
 *
 * <p>A placeholder without a value is an error, not an empty string: a mail saying "Your request
 * {{number}}" would go to a customer otherwise. Values are HTML-escaped in the HTML body.
 */
public record MailTemplate(LocalizedText subject, LocalizedText text, Optional<LocalizedText> html) {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

  public MailTemplate {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(html, "html");
  }

  /** The tenant's configured template (subject and text, no HTML). */
  public static MailTemplate of(NotificationTemplate template) {
    return new MailTemplate(template.subject(), template.text(), Optional.empty());
  }

  /** Subject, text and HTML (null when the template has none) in {@code language}. */
  public Rendered render(Language language, Map<String, String> values) {
    return new Rendered(
        fill(subject.in(language), values, false).replaceAll("[\\r\\n]+", " ").strip(),
        fill(text.in(language), values, false),
        html.map(h -> fill(h.in(language), values, true)).orElse(null));
  }

  /** A rendered template. */
  public record Rendered(String subject, String text, String html) {}

  private static String fill(String template, Map<String, String> values, boolean escapeHtml) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("template placeholder {{" + m.group(1) + "}} has no value");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(escapeHtml ? escapeHtml(value) : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String escapeHtml(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}
