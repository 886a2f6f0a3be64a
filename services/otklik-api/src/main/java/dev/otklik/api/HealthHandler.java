package dev.otklik.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.function.BooleanSupplier;

/**
 * {@code /health}: the process is alive. {@code /ready}: this node can serve, meaning the
 * database answers and tenants are loaded. Load balancers and Kubernetes probes use these.
 */
public final class HealthHandler {

  private final Pool pool;
  private final BooleanSupplier tenantsLoaded;

  public HealthHandler(Pool pool, BooleanSupplier tenantsLoaded) {
    this.pool = pool;
    this.tenantsLoaded = tenantsLoaded;
  }

  public void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext ctx) {
    Future<Boolean> database = pool.query("SELECT 1").execute()
        .map(rows -> true)
        .otherwise(false);
    database.onComplete(ar -> {
      boolean dbUp = ar.result();
      boolean tenants = tenantsLoaded.getAsBoolean();
      boolean ready = dbUp && tenants;
      json(ctx, ready ? 200 : 503, new JsonObject()
          .put("status", ready ? "UP" : "DOWN")
          .put("checks", new JsonObject()
              .put("database", dbUp ? "UP" : "DOWN")
              .put("tenants", tenants ? "UP" : "DOWN")));
    });
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body instanceof JsonObject o ? o.encode() : String.valueOf(body));
  }
}
