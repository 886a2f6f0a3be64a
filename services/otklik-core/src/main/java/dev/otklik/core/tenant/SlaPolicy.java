package dev.otklik.core.tenant;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's SLA: either a matrix of cells or, when its regulation sets no figures, none.
 *
 * @param version recorded on each request so later changes do not move its deadlines
 * @param statement what the regulation says instead of figures (required for {@code none})
 * @param pauseVendorClocksWhile statuses in which the vendor's clocks stop
 * @param customerDelayReleasesVendor an unexcused customer delay frees the vendor's deadline
 * @param commonTargets targets every request gets, whatever its cell
 * @param escalation what a vendor deadline's warning or breach sets off
 */
public record SlaPolicy(
    SlaPolicyKind policy,
    String version,
    Optional<LocalizedText> statement,
    Set<WorkflowStatus> pauseVendorClocksWhile,
    boolean customerDelayReleasesVendor,
    List<SlaTarget> commonTargets,
    List<SlaCell> cells,
    Escalation escalation) {

  /** With {@link Escalation#DEFAULT}. */
  public SlaPolicy(SlaPolicyKind policy, String version, Optional<LocalizedText> statement,
      Set<WorkflowStatus> pauseVendorClocksWhile, boolean customerDelayReleasesVendor, List<SlaTarget> commonTargets,
      List<SlaCell> cells) {
    this(policy, version, statement, pauseVendorClocksWhile, customerDelayReleasesVendor, commonTargets, cells,
        Escalation.DEFAULT);
  }

  public SlaPolicy {
    Objects.requireNonNull(escalation, "escalation");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(statement, "statement");
    pauseVendorClocksWhile = Set.copyOf(pauseVendorClocksWhile);
    commonTargets = List.copyOf(commonTargets);
    cells = List.copyOf(cells);
  }

  /**
   * The cell for a request with these attributes (keys are {@link MatchAttribute} ids such as
   * {@code "priority"}, values are taxonomy or catalogue ids).
   *
   * <p>A cell applies when every value in its {@code match} equals the request's; the request's
   * other attributes do not matter. Of the cells that apply, the most specific one (the one
   * matching on the most attributes) wins; a tie goes to the cell written first. Loading refuses
   * files in which two cells with different attributes could tie, so that rule only decides
   * between equal cells. Service values are compared as given: a cell for {@code "6.2"} does not
   * cover {@code "6.2.7"}.
   *
   * @return empty when no cell applies (and always for policy {@code none})
   */
  public Optional<SlaCell> cellFor(Map<String, String> attributes) {
    SlaCell best = null;
    for (SlaCell cell : cells) {
      if (cell.matches(attributes) && (best == null || cell.specificity() > best.specificity())) {
        best = cell;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The cell with this id. */
  public Optional<SlaCell> cell(String cellId) {
    return cells.stream().filter(cell -> cell.id().equals(cellId)).findFirst();
  }
}
