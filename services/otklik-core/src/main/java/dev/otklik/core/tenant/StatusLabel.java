package dev.otklik.core.tenant;

import java.util.Objects;

/** A tenant's own name for one of the platform's fixed statuses. */
public record StatusLabel(WorkflowStatus id, LocalizedText name) {

  public StatusLabel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
  }
}
