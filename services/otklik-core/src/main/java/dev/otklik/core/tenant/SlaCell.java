package dev.otklik.core.tenant;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cell of the SLA matrix: the targets a request gets when its attributes match.
 *
 * @param match attribute id ({@code "priority"}, see {@link MatchAttribute}) to the required value;
 *     an empty match is a fallback that every request matches
 * @param note e.g. "no deadline set by the regulation"
 * @param notifyAllCustomers whether every customer of the tenant is told about such requests
 */
public record SlaCell(
    String id,
    Map<String, String> match,
    Optional<LocalizedText> note,
    boolean notifyAllCustomers,
    List<SlaTarget> targets) {

  public SlaCell {
    Objects.requireNonNull(id, "id");
    match = ImmutableCopies.orderedMap(match);
    Objects.requireNonNull(note, "note");
    targets = List.copyOf(targets);
  }

  /** True when the request has every attribute value this cell asks for. */
  public boolean matches(Map<String, String> attributes) {
    return match.entrySet().stream()
        .allMatch(required -> required.getValue().equals(attributes.get(required.getKey())));
  }

  /** The number of attributes the cell matches on: more is more specific. */
  public int specificity() {
    return match.size();
  }

  /** The target with this id. */
  public Optional<SlaTarget> target(String targetId) {
    return targets.stream().filter(target -> target.id().equals(targetId)).findFirst();
  }
}
