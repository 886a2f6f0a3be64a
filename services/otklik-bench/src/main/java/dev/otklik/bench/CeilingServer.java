package dev.otklik.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The ceiling the HTTP scenarios are measured against: the least a server can do per request on
 * the same PostgreSQL, with the same HTTP verticle count and pool size as a node. {@code POST
 * /insert} writes one row, {@code GET /select/:id} reads one by primary key; no auth, no
 * row-level security, no events, no routing framework.
 *
 * <p>{@code java -cp otklik-bench.jar dev.otklik.bench.CeilingServer <pg-url> <user>
 * <password> <port> <instances> <pool-size>}; prints {@code ceiling listening on <port>}.
 */
public final class CeilingServer extends BareServer {

  private final Pool pool;

  CeilingServer(Pool pool, int port) {
    super(port);
    this.pool = pool;
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
    launch(vertx, pool.query("CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, tenant_id text"
            + " NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())").execute()
        .map(ok -> () -> new CeilingServer(pool, port)), instances, "ceiling listening on " + port);
  }

  @Override
  void handle(HttpServerRequest req) {
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
