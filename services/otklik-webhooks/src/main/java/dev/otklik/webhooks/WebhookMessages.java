package dev.otklik.webhooks;

import dev.otklik.store.WebhookStore;
import io.vertx.core.json.JsonObject;
import java.time.format.DateTimeFormatter;

/**
 * The versioned JSON a receiver gets:
 * {@code {"type":"ticket.created","version":1,"timestamp":"...","data":{...}}}. {@code data} is
 * the event as the outbox holds it (tenantId, sequence, ticketId, number, type, public): a thin
 * event the receiver follows up through the API. {@code timestamp} is when the event happened.
 */
public final class WebhookMessages {

  public static final int VERSION = 1;
  public static final String TEST_KIND = "webhook.test";

  private WebhookMessages() {}

  public static String body(WebhookStore.Claimed d) {
    return new JsonObject()
        .put("type", d.kind())
        .put("version", VERSION)
        .put("timestamp", DateTimeFormatter.ISO_INSTANT.format(d.createdAt().toInstant()))
        .put("data", d.payload())
        .encode();
  }
}
