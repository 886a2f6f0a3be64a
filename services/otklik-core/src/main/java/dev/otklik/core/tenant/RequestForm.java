package dev.otklik.core.tenant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An extra form a customer fills in for a request.
 *
 * @param requiredWithin deadline for the form after first contact
 */
public record RequestForm(
    LocalizedText name, Optional<SlaDuration> requiredWithin, List<FormField> fields) {

  public RequestForm {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(requiredWithin, "requiredWithin");
    fields = List.copyOf(fields);
  }
}
