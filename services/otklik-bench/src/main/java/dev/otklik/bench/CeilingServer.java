package dev.otklik.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;

/**
 * The ceiling the HTTP scenarios are measured against: the least a server can do per request on
 * the same PostgreSQL, with the same HTTP verticle count and pool size as a node. {@code POST
 * /insert} writes one row, {@code GET /select/:id} reads one by primary key; no auth, no
 * row-level security, no events, no routing framework.
 *
 * <p>{@code java -cp otklik-bench.jar dev.otklik.bench.CeilingServer <pg-url> <user>
 * <password> <port> <instances> <pool-size>}; prints {@code ceiling listening on <port>}.
 */
public final class CeilingServer extends VerticleBase {

  private final Pool pool;
  private final int port;

  CeilingServer(Pool pool, int port) {
    this.pool = pool;
    this.port = port;
  }

  public static void main(String[] args) {
    PgConnectOptions connect = PgConnectOptions.fromUri(args[0]).setUser(args[1]).setPassword(args[2])
        .setCachePreparedStatements(true);
    int port = Integer.parseInt(args[3]);
    int instances = Integer.parseInt(args[4]);
    int poolSize = Integer.parseInt(args[5]);
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize)).connectingTo(connect).using(vertx)
        .build();
    pool.query("CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, tenant_id text NOT NULL,"
            + " payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())").execute()
        .compose(ok -> deploy(vertx, () -> new CeilingServer(pool, port), instances, "ceiling listening on " + port));
  }

  /**
   * Deploys {@code instances} of a bare server verticle, then prints {@code readyLine} (what the
   * harness waits for); exits the process if that fails. Shared with {@link StoreFloorServer}.
   */
  static Future<String> deploy(Vertx vertx, Supplier<VerticleBase> server, int instances, String readyLine) {
    return vertx.deployVerticle(server, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println(readyLine))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1");
  }

  private void handle(HttpServerRequest req) {
    if (req.path().equals("/insert")) {
      req.body().compose(body -> pool.preparedQuery(
                  "INSERT INTO bench_ceiling (tenant_id, payload) VALUES ($1, $2) RETURNING id")
              .execute(Tuple.of("bench", body.toJsonObject())))
          .onSuccess(rows -> req.response().setStatusCode(201).putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("id", rows.iterator().next().getLong(0)).encode()))
          .onFailure(e -> req.response().setStatusCode(500).end(String.valueOf(e.getMessage())));
    } else if (req.path().startsWith("/select/")) {
      long id = Long.parseLong(req.path().substring("/select/".length()));
      pool.preparedQuery("SELECT id, tenant_id, payload, created_at FROM bench_ceiling WHERE id = $1")
          .execute(Tuple.of(id))
          .onSuccess(rows -> {
            if (rows.size() == 0) {
              req.response().setStatusCode(404).end();
              return;
            }
            Row r = rows.iterator().next();
            req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("id", r.getLong("id")).put("tenantId", r.getString("tenant_id"))
                .put("payload", r.getJsonObject("payload")).put("createdAt", r.getOffsetDateTime("created_at")
                    .toString()).encode());
          })
          .onFailure(e -> req.response().setStatusCode(500).end(String.valueOf(e.getMessage())));
    } else {
      req.response().setStatusCode(404).end();
    }
  }
}
