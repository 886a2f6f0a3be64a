package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.core.EventBusAddresses;
import dev.otklik.store.EventSignal;
import dev.otklik.store.TicketStore;
import dev.otklik.store.WatcherStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The watchers of a request, {@code /api/v1/tenants/:tenantId/requests/:number/watchers}:
 * colleagues of the request's organisation who get its mail and see it (the rules are
 * {@link WatcherStore}'s). List; add ({@code POST {"userId"}}: 201 when added, 200 when already
 * watching); remove ({@code DELETE .../watchers/:userId}, 204 either way); and
 * {@code .../watcher-candidates}: the people who could be added.
 */
public final class WatcherHandler {

  public static final String WATCHERS = TicketHandler.BASE + "/:number/watchers";
  public static final String CANDIDATES = TicketHandler.BASE + "/:number/watcher-candidates";

  private final Vertx vertx;
  private final WatcherStore store;

  public WatcherHandler(Vertx vertx, WatcherStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** {@code GET .../watchers}: {@code {items: [{id, displayName, addedBy, addedAt}]}}. */
  public void list(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    store.list(me.tenantId(), TicketHandler.caller(me), ctx.pathParam("number"))
        .onSuccess(w -> HealthHandler.json(ctx, 200, new JsonObject().put("items", watchersJson(w))))
        .onFailure(ctx::fail);
  }

  /** {@code GET .../watcher-candidates}: {@code {items: [{id, displayName, email}]}}, by name. */
  public void candidates(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    store.candidates(me.tenantId(), TicketHandler.caller(me), ctx.pathParam("number"))
        .onSuccess(list -> {
          JsonArray items = new JsonArray();
          list.forEach(c -> items.add(new JsonObject().put("id", c.userId().toString())
              .put("displayName", c.displayName()).put("email", c.email())));
          HealthHandler.json(ctx, 200, new JsonObject().put("items", items));
        })
        .onFailure(ctx::fail);
  }

  /** {@code POST .../watchers} {@code {"userId": "..."}}: the watchers afterwards. */
  public void add(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("userId"));
    UUID userId = JsonInput.required(in.uuid("userId"), "userId");
    store.add(me.tenantId(), TicketHandler.caller(me), ctx.pathParam("number"), userId)
        .onSuccess(update -> signal(me.tenantId(), update.change()))
        .onSuccess(update -> HealthHandler.json(ctx, update.change() == null ? 200 : 201,
            new JsonObject().put("items", watchersJson(update.watchers()))))
        .onFailure(ctx::fail);
  }

  /** {@code DELETE .../watchers/:userId}: 204, also when the person was not watching. */
  public void remove(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    UUID userId = JsonInput.pathId(ctx, "userId", "user.not-found");
    store.remove(me.tenantId(), TicketHandler.caller(me), ctx.pathParam("number"), userId)
        .onSuccess(update -> signal(me.tenantId(), update.change()))
        .onSuccess(update -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  static JsonArray watchersJson(List<WatcherStore.Watcher> watchers) {
    JsonArray out = new JsonArray();
    watchers.forEach(w -> out.add(new JsonObject().put("id", w.userId().toString())
        .put("displayName", w.displayName())
        .put("addedBy", w.addedBy() == null ? null : w.addedBy().toString())
        .put("addedAt", w.addedAt().toInstant().toString())));
    return out;
  }

  /** After commit, as TicketHandler does. */
  private void signal(String tenantId, TicketStore.Change<?> change) {
    if (change == null) {
      return;
    }
    vertx.eventBus().publish(EventBusAddresses.tenantEvents(tenantId), EventSignal.message(change));
  }
}
