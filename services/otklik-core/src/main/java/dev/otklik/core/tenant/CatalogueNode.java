package dev.otklik.core.tenant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A service in the tenant's catalogue, numbered as the vendor numbers it.
 *
 * @param id unique across the whole catalogue tree; may be the vendor's number ({@code "6.2.1"})
 * @param number the number as displayed
 * @param description the result the customer gets
 * @param requestable whether a request may name this service
 */
public record CatalogueNode(
    String id,
    Optional<String> number,
    LocalizedText name,
    Optional<LocalizedText> description,
    boolean requestable,
    List<CatalogueNode> children) {

  public CatalogueNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    children = List.copyOf(children);
  }

  /** Every node of a catalogue, depth first, parents before their children. */
  public static Stream<CatalogueNode> walk(List<CatalogueNode> nodes) {
    return nodes.stream().flatMap(node -> Stream.concat(Stream.of(node), walk(node.children())));
  }
}
