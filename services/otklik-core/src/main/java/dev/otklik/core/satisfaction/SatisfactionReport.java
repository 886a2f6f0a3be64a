package dev.otklik.core.satisfaction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Satisfaction figures over a period's surveys: how many went out, how many were answered, the
 * response rate, the average rating and how the ratings spread over 1-5; in total, per category
 * and priority (the SLA report's groups) and per agent (the assignee when the request closed).
 * Pure: the store reads the rows, this adds them up.
 */
public final class SatisfactionReport {

  /** One survey: the request's category and priority, the agent, and the rating (null: unanswered). */
  public record Row(UUID surveyId, String category, String priority, UUID agentId, String agentName, Integer rating) {}

  /**
   * Counts of one slice. {@code distribution[i]} is the number of answers rating {@code i + 1}.
   */
  public record Figures(int sent, int answered, int[] distribution) {

    public Figures {
      distribution = distribution.clone();
    }

    static Figures empty() {
      return new Figures(0, 0, new int[Surveys.MAX_RATING]);
    }

    Figures plus(Integer rating) {
      int[] d = distribution.clone();
      if (rating != null) {
        d[rating - 1]++;
      }
      return new Figures(sent + 1, answered + (rating == null ? 0 : 1), d);
    }

    /** Answered over sent, to four decimals; null when none went out. */
    public Double responseRate() {
      return sent == 0 ? null : Math.round(10_000.0 * answered / sent) / 10_000.0;
    }

    /** The mean rating, to two decimals; null without answers. */
    public Double averageRating() {
      if (answered == 0) {
        return null;
      }
      long sum = 0;
      for (int i = 0; i < distribution.length; i++) {
        sum += (long) (i + 1) * distribution[i];
      }
      return Math.round(100.0 * sum / answered) / 100.0;
    }

    /** Answers rating {@code rating} (1-5). */
    public int count(int rating) {
      return distribution[rating - 1];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Figures f && f.sent == sent && f.answered == answered
          && Arrays.equals(f.distribution, distribution);
    }

    @Override
    public int hashCode() {
      return Objects.hash(sent, answered, Arrays.hashCode(distribution));
    }

    @Override
    public String toString() {
      return "Figures[sent=" + sent + ", answered=" + answered + ", distribution=" + Arrays.toString(distribution) + "]";
    }
  }

  /** One agent's figures; {@code agentId} null for requests that closed without an assignee. */
  public record Agent(UUID agentId, String agentName, Figures figures) {}

  /** The whole period, per category x priority, and per agent (by name; unassigned last). */
  public record Result(Figures total, Map<List<String>, Figures> groups, List<Agent> agents) {

    /** The figures of one SLA-report group (either key may be null); empty figures when it had no survey. */
    public Figures group(String category, String priority) {
      return groups.getOrDefault(Arrays.asList(category, priority), Figures.empty());
    }
  }

  private SatisfactionReport() {}

  public static Result of(List<Row> rows) {
    Figures total = Figures.empty();
    Map<List<String>, Figures> groups = new LinkedHashMap<>();
    Map<UUID, Figures> byAgent = new LinkedHashMap<>();
    Map<UUID, String> names = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.rating() != null && (r.rating() < Surveys.MIN_RATING || r.rating() > Surveys.MAX_RATING)) {
        throw new IllegalArgumentException("rating out of range: " + r.rating());
      }
      total = total.plus(r.rating());
      groups.compute(Arrays.asList(r.category(), r.priority()),
          (k, f) -> (f == null ? Figures.empty() : f).plus(r.rating()));
      byAgent.compute(r.agentId(), (k, f) -> (f == null ? Figures.empty() : f).plus(r.rating()));
      names.putIfAbsent(r.agentId(), r.agentName());
    }
    List<Agent> agents = new ArrayList<>();
    byAgent.forEach((id, figures) -> agents.add(new Agent(id, names.get(id), figures)));
    agents.sort(Comparator.comparing((Agent a) -> a.agentId() == null)
        .thenComparing(a -> a.agentName() == null ? "" : a.agentName())
        .thenComparing(a -> a.agentId() == null ? "" : a.agentId().toString()));
    return new Result(total, groups, List.copyOf(agents));
  }
}
