package dev.otklik.core.tenant;

import java.util.Objects;

/** A message template; {@code {{number}}}-style placeholders are filled in when sending. */
public record NotificationTemplate(LocalizedText subject, LocalizedText text) {

  public NotificationTemplate {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
  }
}
