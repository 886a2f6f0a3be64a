package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/**
 * Who the desk belongs to.
 *
 * @param name what customers call the product or desk
 * @param vendor the legal vendor name
 * @param product a description of the product
 * @param sourceDocument the regulation this configuration encodes
 */
public record Identity(
    LocalizedText name,
    LocalizedText vendor,
    Optional<LocalizedText> product,
    Optional<String> sourceDocument) {

  public Identity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(sourceDocument, "sourceDocument");
  }
}
