package dev.otklik.webhooks;

import dev.otklik.core.tenant.WebhookSpec;
import java.util.List;
import java.util.Set;

/** The event types an endpoint can subscribe to: the outbox kinds ({@code ticket.<event type>}), or {@code *}. */
public final class WebhookEvents {

  public static final String ALL = "*";

  /** Every kind TicketStore writes to the outbox (one per ticket_event type). */
  public static final List<String> TYPES = WebhookSpec.EVENT_TYPES;

  private static final Set<String> KNOWN = Set.copyOf(TYPES);

  private WebhookEvents() {}

  public static boolean isKnown(String type) {
    return ALL.equals(type) || KNOWN.contains(type);
  }
}
