package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/** A named choice: a kind, category, priority or severity, or an option of a form field. */
public record TaxonomyItem(String id, LocalizedText name, Optional<LocalizedText> description) {

  public TaxonomyItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
  }
}
