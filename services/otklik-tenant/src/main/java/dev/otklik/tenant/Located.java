package dev.otklik.tenant;

import dev.otklik.core.tenant.CatalogueNode;
import dev.otklik.core.tenant.SlaCell;
import dev.otklik.core.tenant.SlaPolicy;
import dev.otklik.core.tenant.SlaTarget;
import java.util.ArrayList;
import java.util.List;

/** A bound value together with the JSON pointer it was read from, for reporting problems. */
record Located<T>(T value, String pointer) {

  /** The elements of a list read from {@code listPointer}, each with its own pointer. */
  static <T> List<Located<T>> each(List<T> list, String listPointer) {
    List<Located<T>> located = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      located.add(new Located<>(list.get(i), Pointer.child(listPointer, i)));
    }
    return located;
  }

  /** Every node of a catalogue tree, parents first, with pointers through {@code children}. */
  static List<Located<CatalogueNode>> catalogue(List<CatalogueNode> nodes, String listPointer) {
    List<Located<CatalogueNode>> located = new ArrayList<>();
    for (Located<CatalogueNode> node : each(nodes, listPointer)) {
      located.add(node);
      located.addAll(catalogue(node.value().children(), Pointer.child(node.pointer(), "children")));
    }
    return located;
  }

  /** Every SLA target: the common ones, then each cell's. */
  static List<Located<SlaTarget>> targets(SlaPolicy sla) {
    List<Located<SlaTarget>> targets = new ArrayList<>(each(sla.commonTargets(), "/sla/common-targets"));
    for (Located<SlaCell> cell : each(sla.cells(), "/sla/cells")) {
      targets.addAll(each(cell.value().targets(), cell.pointer() + "/targets"));
    }
    return targets;
  }
}
