package dev.otklik.core.time;

import java.util.List;

/**
 * How a deadline was computed, one step per line, in English (for agents, audit logs and
 * support of the vendor's questions; the portal may translate the structure later), e.g.
 * {@code "start Thu 30 Apr 2026 17:30 MSK: after working hours"}.
 */
public record Explanation(List<String> lines) {

  private static final Explanation NONE = new Explanation(List.of());

  public Explanation {
    lines = List.copyOf(lines);
  }

  /** No lines: the deadline was computed without asking for an explanation. */
  public static Explanation none() {
    return NONE;
  }

  @Override
  public String toString() {
    return String.join("\n", lines);
  }
}
