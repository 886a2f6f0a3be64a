package dev.otklik.core.satisfaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SatisfactionReportTest {

  static final UUID ANNA = UUID.randomUUID();
  static final UUID BORIS = UUID.randomUUID();

  static SatisfactionReport.Row row(String category, UUID agent, String name, Integer rating) {
    return new SatisfactionReport.Row(UUID.randomUUID(), category, "high", agent, name, rating);
  }

  @Test
  @DisplayName("sent, answered, response rate, average and the 1-5 spread, in total, per group and per agent")
  void figures() {
    SatisfactionReport.Result r = SatisfactionReport.of(List.of(
        row("error", ANNA, "Анна", 5), row("error", ANNA, "Анна", 4), row("error", BORIS, "Борис", null),
        row("question", BORIS, "Борис", 1), row("question", null, null, null), row(null, null, null, 4)));
    assertThat(r.total().sent()).isEqualTo(6);
    assertThat(r.total().answered()).isEqualTo(4);
    assertThat(r.total().responseRate()).isEqualTo(0.6667);
    assertThat(r.total().averageRating()).isEqualTo(3.5);
    assertThat(r.total().distribution()).containsExactly(1, 0, 0, 2, 1);
    assertThat(r.group("error", "high")).isEqualTo(new SatisfactionReport.Figures(3, 2, new int[] {0, 0, 0, 1, 1}));
    assertThat(r.group(null, "high").averageRating()).isEqualTo(4.0);
    assertThat(r.group("none", "high").sent()).isZero();
    assertThat(r.group("none", "high").averageRating()).isNull();
    assertThat(r.group("none", "high").responseRate()).isNull();
    assertThat(r.agents()).extracting(SatisfactionReport.Agent::agentName).containsExactly("Анна", "Борис", null);
    assertThat(r.agents().get(0).figures().averageRating()).isEqualTo(4.5);
    assertThat(r.agents().get(1).figures().responseRate()).isEqualTo(0.5);
    assertThat(r.agents().get(2).figures().sent()).isEqualTo(2);
  }

  @Test
  @DisplayName("no surveys: zero counts, no rate and no average")
  void empty() {
    SatisfactionReport.Result r = SatisfactionReport.of(List.of());
    assertThat(r.total().sent()).isZero();
    assertThat(r.total().averageRating()).isNull();
    assertThat(r.agents()).isEmpty();
  }
}
