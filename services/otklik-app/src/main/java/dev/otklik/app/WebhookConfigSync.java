package dev.otklik.app;

import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.WebhookSpec;
import dev.otklik.store.WebhookStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhook endpoints declared in tenant files ({@code webhooks:}) in the database, where
 * the dispatcher and the API see them: all tenants at start, then each added or changed tenant on
 * this node's reload. A spec is keyed by its id; one removed from the file is switched off. The
 * tenant's row may not be recorded yet when a reload signal arrives, so a failed sync is tried
 * again a few times.
 */
final class WebhookConfigSync {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookConfigSync.class);
  private static final int RETRIES = 5;

  private final Vertx vertx;
  private final TenantRegistrySource tenants;
  private final WebhookStore store;

  WebhookConfigSync(Vertx vertx, TenantRegistrySource tenants, WebhookStore store) {
    this.vertx = vertx;
    this.tenants = tenants;
    this.store = store;
  }

  /** Syncs every loaded tenant now and every added or changed one after a reload. */
  Future<Void> install() {
    vertx.eventBus().<JsonObject>localConsumer(EventBusAddresses.TENANTS_RELOADED, message -> {
      List<String> ids = new ArrayList<>();
      message.body().getJsonArray("added", new JsonArray()).forEach(id -> ids.add((String) id));
      message.body().getJsonArray("changed", new JsonArray()).forEach(id -> ids.add((String) id));
      ids.forEach(id -> sync(id, RETRIES));
    });
    List<Future<Void>> all = new ArrayList<>();
    tenants.configs().forEach(c -> all.add(sync(c.getString("id"), 0)));
    return Future.join(all).mapEmpty();
  }

  Future<Void> sync(String tenantId, int retriesLeft) {
    Optional<TenantConfig> config = tenants.tenant(tenantId);
    if (config.isEmpty()) {
      return Future.succeededFuture();
    }
    List<WebhookStore.ConfigEndpoint> specs = config.get().webhooks().stream().map(WebhookConfigSync::endpoint)
        .toList();
    return store.syncConfigEndpoints(tenantId, specs).<Void>mapEmpty().recover(e -> {
      if (retriesLeft > 0) {
        vertx.setTimer(1000, t -> sync(tenantId, retriesLeft - 1));
      } else {
        LOG.error("Webhook endpoints of tenant {} could not be synced with its config: {}", tenantId,
            e.getMessage(), e);
      }
      return Future.succeededFuture();
    });
  }

  static WebhookStore.ConfigEndpoint endpoint(WebhookSpec w) {
    return new WebhookStore.ConfigEndpoint(w.id(),
        new WebhookStore.EndpointDetails(w.url(), w.description().orElse(null), w.events(), w.enabled()),
        w.secretEnv());
  }
}
