package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/**
 * A message template; {@code {{number}}}-style placeholders are filled in when sending.
 *
 * @param html the HTML part; absent = the text in the tenant's branded frame
 */
public record NotificationTemplate(LocalizedText subject, LocalizedText text, Optional<LocalizedText> html) {

  public NotificationTemplate {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(html, "html");
  }

  public NotificationTemplate(LocalizedText subject, LocalizedText text) {
    this(subject, text, Optional.empty());
  }
}
