package dev.otklik.tenant;

import dev.otklik.core.tenant.CatalogueNode;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.MatchAttribute;
import dev.otklik.core.tenant.SlaCell;
import dev.otklik.core.tenant.SlaPolicy;
import dev.otklik.core.tenant.SlaPolicyKind;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TaxonomyItem;
import dev.otklik.core.tenant.TenantConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The SLA is either a usable matrix or an explicit "none": every cell matches values that
 * exist, no two cells compete for the same request, and every clock can run.
 */
final class SlaMatrixCheck implements TenantCheck {

  @Override
  public void check(TenantConfig config, Context context) {
    SlaPolicy sla = config.sla();
    if (sla.policy() == SlaPolicyKind.NONE) {
      if (sla.statement().isEmpty()) {
        context.problem("/sla/statement", "is required when policy is none: say what the regulation sets instead");
      }
      if (!sla.cells().isEmpty()) {
        context.problem("/sla/cells", "must be omitted when policy is none");
      }
      if (!sla.commonTargets().isEmpty()) {
        context.problem("/sla/common-targets", "must be omitted when policy is none");
      }
    } else if (sla.cells().isEmpty()) {
      context.problem("/sla/cells", "a matrix needs at least one cell (or use policy: none with a statement)");
    }
    List<Located<SlaCell>> cells = Located.each(sla.cells(), "/sla/cells");
    cells.forEach(cell -> matchValuesExist(cell, config, context));
    noTwoCellsCompete(cells, context);
    for (Located<SlaTarget> target : Located.targets(sla)) {
      SlaTarget value = target.value();
      if (ConfigId.of(value.startsOn()).equals(ConfigId.of(value.stopsOn()))) {
        context.problem(target.pointer() + "/stops-on", ConfigId.of(value.stopsOn())
            + " is also the event the clock starts on, so the clock would never run");
      }
    }
  }

  private static void matchValuesExist(Located<SlaCell> cell, TenantConfig config, Context context) {
    cell.value().match().forEach((key, value) -> {
      String pointer = Pointer.child(cell.pointer() + "/match", key);
      Optional<MatchAttribute> attribute = attribute(key);
      if (attribute.isEmpty()) {
        context.problem(pointer, "unknown attribute \"" + key + "\"; match on " + ConfigId.idsOf(MatchAttribute.class));
        return;
      }
      if (attribute.get() == MatchAttribute.SERVICE) {
        Optional<CatalogueNode> node = config.catalogueNode(value);
        if (node.isEmpty()) {
          context.problem(pointer, "unknown service \"" + value + "\"; no catalogue node has that id");
        } else if (!node.get().requestable()) {
          context.problem(pointer, "service \"" + value + "\" is not requestable, so no request can match this cell");
        }
        return;
      }
      List<TaxonomyItem> items = config.taxonomy().itemsOf(attribute.get());
      if (items.stream().noneMatch(item -> item.id().equals(value))) {
        context.problem(pointer, "unknown " + key + " \"" + value + "\"; the taxonomy defines "
            + (items.isEmpty() ? "none" : items.stream().map(TaxonomyItem::id).collect(Collectors.joining(", "))));
      }
    });
  }

  /**
   * Reports a cell that repeats an earlier cell's match, or that an equally specific earlier cell
   * could also match (same number of attributes, no attribute with a different value): the
   * winner would then depend on the order of the file.
   */
  private static void noTwoCellsCompete(List<Located<SlaCell>> cells, Context context) {
    for (int i = 0; i < cells.size(); i++) {
      Map<String, String> match = cells.get(i).value().match();
      for (int j = 0; j < i; j++) {
        Map<String, String> earlier = cells.get(j).value().match();
        String other = "cell \"" + cells.get(j).value().id() + "\" (" + cells.get(j).pointer() + ")";
        if (match.equals(earlier)) {
          context.problem(cells.get(i).pointer() + "/match", "same match as " + other);
          break;
        }
        if (match.size() == earlier.size() && compatible(match, earlier)) {
          context.problem(cells.get(i).pointer() + "/match", "a request with " + union(match, earlier)
              + " would match both this cell and " + other + " equally; make one more specific");
          break;
        }
      }
    }
  }

  private static boolean compatible(Map<String, String> a, Map<String, String> b) {
    return a.entrySet().stream().allMatch(e -> !b.containsKey(e.getKey()) || b.get(e.getKey()).equals(e.getValue()));
  }

  private static String union(Map<String, String> a, Map<String, String> b) {
    Map<String, String> both = new TreeMap<>(a);
    both.putAll(b);
    return both.toString();
  }

  private static Optional<MatchAttribute> attribute(String key) {
    try {
      return Optional.of(ConfigId.parse(MatchAttribute.class, key));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
