package dev.otklik.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.function.BooleanSupplier;

/**
 * {@code /health}: the process is alive. {@code /ready}: this node can serve, meaning the
 * database answers and tenants are loaded and, on a clustered node, the node is a member of the
 * cluster (its cluster manager is active and lists it); the answer then carries the member count
 * ({@code "cluster": {"members": 3, "nodeId": ...}}). Load balancers and Kubernetes probes use these.
 */
public final class HealthHandler {

  private final Pool pool;
  private final BooleanSupplier tenantsLoaded;
  private final Vertx vertx;

  public HealthHandler(Pool pool, BooleanSupplier tenantsLoaded) {
    this(pool, tenantsLoaded, null);
  }

  /** @param vertx the node's Vert.x; when clustered, readiness also needs cluster membership */
  public HealthHandler(Pool pool, BooleanSupplier tenantsLoaded, Vertx vertx) {
    this.pool = pool;
    this.tenantsLoaded = tenantsLoaded;
    this.vertx = vertx;
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
      JsonObject checks = new JsonObject()
          .put("database", dbUp ? "UP" : "DOWN")
          .put("tenants", tenants ? "UP" : "DOWN");
      JsonObject body = new JsonObject();
      boolean joined = true;
      ClusterManager cluster = vertx instanceof VertxInternal internal && vertx.isClustered()
          ? internal.clusterManager() : null;
      if (cluster != null) {
        int members = 0;
        String nodeId = null;
        try {
          if (cluster.isActive()) {
            nodeId = cluster.getNodeId();
            var nodes = cluster.getNodes();
            members = nodes.size();
            joined = nodes.contains(nodeId);
          } else {
            joined = false;
          }
        } catch (RuntimeException e) {
          joined = false; // the cluster manager is shutting down or not started
        }
        checks.put("cluster", joined ? "UP" : "DOWN");
        body.put("cluster", new JsonObject().put("members", members).put("nodeId", nodeId));
      }
      boolean ready = dbUp && tenants && joined;
      json(ctx, ready ? 200 : 503, body.put("status", ready ? "UP" : "DOWN").put("checks", checks));
    });
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body instanceof JsonObject o ? o.encode() : String.valueOf(body));
  }
}
