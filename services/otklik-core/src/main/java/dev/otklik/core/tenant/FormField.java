package dev.otklik.core.tenant;

import java.util.List;
import java.util.Objects;

/**
 * A field of a {@link RequestForm}.
 *
 * @param options the choices of a select field; empty for other types
 */
public record FormField(
    String id, LocalizedText label, FieldType type, boolean required, List<TaxonomyItem> options) {

  public FormField {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(type, "type");
    options = List.copyOf(options);
  }
}
