package dev.otklik.core.tenant;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What happens when a vendor deadline's warning or breach timer fires ({@code sla.escalation}).
 *
 * @param on           which timers escalate: {@code warning}, {@code breach}
 * @param recipients   who is told ({@code notify} in the file): {@code coordinator},
 *                     {@code tenant-admin}, {@code assignee}; they get an internal
 *                     {@code escalated} event, live and by mail
 * @param bumpPriority raise the request's priority one step (taxonomy order, highest first) on
 *                     each escalation. The deadlines keep their cell: the contract was set when
 *                     the request was triaged, and a stricter cell would breach again at once.
 */
public record Escalation(Set<String> on, List<String> recipients, boolean bumpPriority) {

  public static final Set<String> TRIGGERS = Set.of("warning", "breach");
  public static final Set<String> RECIPIENTS = Set.of("coordinator", "tenant-admin", "assignee");

  /** Without an {@code escalation} section: a breach tells the coordinators; the priority stays. */
  public static final Escalation DEFAULT = new Escalation(Set.of("breach"), List.of("coordinator"), false);

  public Escalation {
    on = Set.copyOf(on);
    recipients = List.copyOf(recipients);
    if (!TRIGGERS.containsAll(on)) {
      throw new IllegalArgumentException("escalation triggers are " + TRIGGERS + ", was " + on);
    }
    if (!RECIPIENTS.containsAll(recipients)) {
      throw new IllegalArgumentException("escalation recipients are " + RECIPIENTS + ", was " + recipients);
    }
  }

  /** Whether a fired timer of this kind ({@code warning} or {@code breach}) escalates. */
  public boolean escalates(String timerKind) {
    return on.contains(timerKind);
  }

  /** The next higher priority in {@code priorities} (highest first); empty at the top or when unknown. */
  public static Optional<String> higher(List<String> priorities, String priority) {
    int at = priorities.indexOf(priority);
    return at > 0 ? Optional.of(priorities.get(at - 1)) : Optional.empty();
  }
}
