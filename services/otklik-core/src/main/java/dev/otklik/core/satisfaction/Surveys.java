package dev.otklik.core.satisfaction;

import static dev.otklik.core.tenant.WorkflowStatus.ACCEPTED;
import static dev.otklik.core.tenant.WorkflowStatus.CLOSED;
import static dev.otklik.core.tenant.WorkflowStatus.CLOSED_BY_TIMEOUT;

import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.Satisfaction;
import dev.otklik.core.tenant.WorkflowStatus;
import java.util.EnumSet;
import java.util.Set;

/**
 * The rules of the customer-satisfaction survey ({@code satisfaction:} in the tenant file).
 *
 * <p><b>When a survey goes out.</b> When a request becomes resolved: the customer accepted the
 * solution ({@code accepted}, also by the auto-accept timer), or it was closed ({@code closed},
 * {@code closed-by-timeout}, also by a workflow timer). Only on entering that set from an
 * unresolved status, so {@code accepted -> closed} is one closing and gets one survey; a request
 * that is reopened and resolved again gets a new one (the old one, if unanswered, is withdrawn).
 * {@code cancelled} is not a closing: nothing was resolved to rate.
 */
public final class Surveys {

  public static final int MIN_RATING = 1;
  public static final int MAX_RATING = 5;
  /** Longest comment kept (characters); the table checks the same limit. */
  public static final int MAX_COMMENT_CHARS = 2000;

  /** Statuses that count as resolved for the survey. */
  public static final Set<WorkflowStatus> RESOLVED = Set.copyOf(EnumSet.of(ACCEPTED, CLOSED, CLOSED_BY_TIMEOUT));

  /** The question when the tenant's file sets none. */
  public static final LocalizedText DEFAULT_QUESTION = LocalizedText.of(
      "Насколько вы довольны тем, как решено ваше обращение?",
      "How satisfied are you with how your request was handled?");

  private Surveys() {}

  /** True when moving from {@code from} to {@code to} closes the request for the survey's purposes. */
  public static boolean closes(WorkflowStatus from, WorkflowStatus to) {
    return RESOLVED.contains(to) && !RESOLVED.contains(from);
  }

  /** True for a tenant whose file asks for a survey. */
  public static boolean runs(Satisfaction satisfaction) {
    return satisfaction != null && satisfaction.enabled() && !satisfaction.linkValidity().isNegative()
        && !satisfaction.linkValidity().isZero();
  }

  /** The question shown above the scale. */
  public static LocalizedText question(Satisfaction satisfaction) {
    return satisfaction == null ? DEFAULT_QUESTION : satisfaction.question().orElse(DEFAULT_QUESTION);
  }
}
