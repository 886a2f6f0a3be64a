package dev.otklik.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlaPolicyTest {

  private static final SlaPolicy MATRIX = matrix(
      cell("fallback", Map.of()),
      cell("error", Map.of("category", "error")),
      cell("error-urgent", Map.of("category", "error", "priority", "urgent")),
      cell("support-urgent", Map.of("category", "support", "priority", "urgent")));

  @Test
  @DisplayName("The cell matching the most attributes wins over less specific ones")
  void mostSpecificCellWins() {
    assertThat(MATRIX.cellFor(Map.of("category", "error", "priority", "urgent", "kind", "incident")))
        .map(SlaCell::id).contains("error-urgent");
  }

  @Test
  @DisplayName("A request matching only part of a specific cell falls back to a broader cell")
  void partialMatchFallsBack() {
    assertThat(MATRIX.cellFor(Map.of("category", "error", "priority", "low")))
        .map(SlaCell::id).contains("error");
    assertThat(MATRIX.cellFor(Map.of("category", "improvement")))
        .map(SlaCell::id).contains("fallback");
  }

  @Test
  @DisplayName("Without a fallback cell an unmatched request gets no cell")
  void unmatchedRequestGetsNoCell() {
    SlaPolicy policy = matrix(cell("error", Map.of("category", "error")));

    assertThat(policy.cellFor(Map.of("category", "support"))).isEmpty();
    assertThat(policy.cellFor(Map.of())).isEmpty();
  }

  @Test
  @DisplayName("Of two equally specific matching cells the one written first wins")
  void tieGoesToFirstCell() {
    SlaPolicy policy = matrix(cell("first", Map.of("priority", "urgent")), cell("second", Map.of("priority", "urgent")));

    assertThat(policy.cellFor(Map.of("priority", "urgent"))).map(SlaCell::id).contains("first");
  }

  private static SlaPolicy matrix(SlaCell... cells) {
    return new SlaPolicy(SlaPolicyKind.MATRIX, "1", Optional.empty(), Set.of(), false, List.of(), List.of(cells));
  }

  private static SlaCell cell(String id, Map<String, String> match) {
    return new SlaCell(id, match, Optional.empty(), false, List.of());
  }
}
