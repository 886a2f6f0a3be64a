package dev.otklik.core.tenant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook endpoint declared in tenant config ({@code webhooks:}). The signing secret is never
 * in the file: {@code secretEnv} names the environment variable holding it ({@code whsec_...}).
 *
 * @param id     kebab id, unique in the tenant; the endpoint's config key
 * @param events outbox kinds ({@code ticket.created}, ...) or {@code *}
 */
public record WebhookSpec(String id, String url, List<String> events, String secretEnv, boolean enabled,
    Optional<String> description) {

  /** Every event type an endpoint can subscribe to: the kinds TicketStore writes to the outbox. */
  public static final List<String> EVENT_TYPES = List.of(
      "ticket.created", "ticket.updated", "ticket.status-changed", "ticket.comment-added",
      "ticket.internal-note-added", "ticket.attachment-added", "ticket.worklog-added", "ticket.form-received",
      "ticket.callback-made", "ticket.sla-warning", "ticket.sla-breached", "ticket.sla-released",
      "ticket.sla-recalculated", "ticket.escalated", "ticket.close-allowed", "ticket.reminder",
      "ticket.satisfaction-rated", "ticket.watcher-added", "ticket.watcher-removed");

  public WebhookSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    events = List.copyOf(events);
    Objects.requireNonNull(secretEnv, "secretEnv");
    Objects.requireNonNull(description, "description");
  }
}
