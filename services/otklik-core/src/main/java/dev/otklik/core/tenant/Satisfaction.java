package dev.otklik.core.tenant;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The customer-satisfaction survey sent when a request is closed ({@code satisfaction:}). Absent
 * from the file: no survey.
 *
 * @param linkValidity how long the signed survey link answers (calendar time)
 * @param question     the question above the 1-5 scale; a default text when empty
 */
public record Satisfaction(boolean enabled, Duration linkValidity, Optional<LocalizedText> question) {

  public Satisfaction {
    Objects.requireNonNull(linkValidity, "linkValidity");
    Objects.requireNonNull(question, "question");
  }
}
