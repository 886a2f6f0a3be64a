package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The transaction's edges: BEGIN and COMMIT pipelined with the work, and what a failure leaves behind. */
class TenantTransactionsTest {

  private static final Pool pool = TestDatabase.pool();
  private static final TenantTransactions tx = TestDatabase.transactions();
  private static final String INSERT = "INSERT INTO tenant_config_version (tenant_id, version, content_hash, config)"
      + " VALUES ($1, $2::integer, $3, '{}')";

  private static String newTenant() {
    String id = "tx-" + UUID.randomUUID().toString().substring(0, 8);
    new TenantStore(tx).recordConfig(id, "TXT", true, "h0", "0", new JsonObject()).await();
    return id;
  }

  private static long versions(String tenantId) throws Exception {
    try (Connection c = TestDatabase.superuserConnection();
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT count(*) FROM tenant_config_version WHERE tenant_id = '" + tenantId + "' AND version >= 10")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Throwable failureOf(Future<?> f) {
    return f.transform(ar -> Future.succeededFuture(ar.cause())).await();
  }

  @Test
  @DisplayName("statements with the COMMIT sent right behind them are committed, and their result is returned")
  void earlyCommitCommits() throws Exception {
    String t = newTenant();
    int inserted = tx.inTenant(t, (conn, commit) -> commit.behind(Future.join(
            conn.preparedQuery(INSERT).execute(Tuple.of(t, 10, "h10")),
            conn.preparedQuery(INSERT).execute(Tuple.of(t, 11, "h11"))))
        .map(all -> 2)).await();
    assertThat(inserted).isEqualTo(2);
    assertThat(versions(t)).isEqualTo(2);
  }

  @Test
  @DisplayName("a failed statement before an early COMMIT rolls the whole transaction back and fails the work")
  void failedStatementBeforeEarlyCommitCommitsNothing() throws Exception {
    String t = newTenant();
    Throwable failure = failureOf(tx.inTenant(t, (conn, commit) -> commit.behind(Future.join(
        conn.preparedQuery(INSERT).execute(Tuple.of(t, 10, "h10")),
        conn.preparedQuery(INSERT).execute(Tuple.of(t, 10, "h10")), // the same key again
        conn.preparedQuery(INSERT).execute(Tuple.of(t, 12, "h12"))))));
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("duplicate key");
    assertThat(versions(t)).isZero();
  }

  @Test
  @DisplayName("a work that fails after its statements succeeded rolls them back")
  void failedWorkRollsBack() throws Exception {
    String t = newTenant();
    Throwable failure = failureOf(tx.inTenant(t, conn -> conn.preparedQuery(INSERT).execute(Tuple.of(t, 10, "h10"))
        .compose(ok -> Future.failedFuture(new IllegalStateException("refused after the insert")))));
    assertThat(failure).hasMessage("refused after the insert");
    assertThat(versions(t)).isZero();
  }

  @Test
  @DisplayName("a work that throws leaves its pooled connection outside the transaction and without the tenant")
  void thrownWorkLeavesACleanConnection() {
    String t = newTenant();
    Pool single = PgPools.create(TestDatabase.vertx(), TestDatabase.endpoint(), 1);
    try {
      Throwable failure = failureOf(new TenantTransactions(single).inTenant(t, conn -> {
        throw new IllegalArgumentException("bad input found late");
      }));
      assertThat(failure).hasMessage("bad input found late");
      String after = single.query("SELECT coalesce(otklik_current_tenant(), '<none>') AS t").execute()
          .map(rows -> rows.iterator().next().getString("t")).await();
      assertThat(after).isEqualTo("<none>");
    } finally {
      single.close().await();
    }
  }

  @Test
  @DisplayName("a transaction that gets no connection within the wait fails with 503 service.busy; the late connection goes back, nothing leaks")
  void connectionWaitEndsInServiceBusyWithoutLeaking() throws Exception {
    io.vertx.core.Vertx vertx = TestDatabase.vertx();
    // its own pool of one (PgPools' pools are shared by name), without a pool-side wait timeout, as PgPools sets it
    Pool one = io.vertx.pgclient.PgBuilder.pool()
        .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(1).setConnectionTimeout(0))
        .connectingTo(TestDatabase.endpoint().appConnectOptions()).using(vertx).build();
    try {
      TenantTransactions tight = new TenantTransactions(one, java.time.Duration.ofMillis(200));
      String tenant = newTenant();
      io.vertx.core.Promise<Void> release = io.vertx.core.Promise.promise();
      // the pool's only connection is held until release
      Future<Integer> holding = onContext(vertx, () -> tight.inTenant(tenant,
          c -> c.query("SELECT 1").execute().compose(r -> release.future()).map(v -> 1)));
      Thread.sleep(100);
      Future<Integer> waiting = onContext(vertx, () -> tight.inTenant(tenant, c -> c.query("SELECT 2").execute().map(r -> 2)));
      Throwable busy = failureOf(waiting);
      assertThat(busy).isInstanceOf(dev.otklik.core.OtklikException.class);
      assertThat(((dev.otklik.core.OtklikException) busy).status()).isEqualTo(503);
      assertThat(((dev.otklik.core.OtklikException) busy).code()).isEqualTo("service.busy");
      release.complete();
      assertThat(holding.await()).isEqualTo(1);
      // the connection handed to the waiter after its 503 went back: the pool of one still serves, many times over
      for (int i = 0; i < 20; i++) {
        assertThat(onContext(vertx, () -> tight.inTenant(tenant, c -> c.query("SELECT 3").execute().map(r -> 3))).await())
            .isEqualTo(3);
      }
    } finally {
      one.close().await();
    }
  }

  @Test
  @DisplayName("onGenericPlans runs the transaction on generic plans with the tenant set, and the connection's next transaction is back on PostgreSQL's default")
  void genericPlansLastForTheTransaction() {
    Pool one = io.vertx.pgclient.PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(1))
        .connectingTo(TestDatabase.endpoint().appConnectOptions()).using(TestDatabase.vertx()).build();
    try {
      TenantTransactions plain = new TenantTransactions(one);
      String tenant = newTenant();
      String settings = "SELECT current_setting('plan_cache_mode') AS mode, current_setting('app.tenant_id') AS tenant";
      JsonObject generic = plain.onGenericPlans().inTenant(tenant, c -> c.query(settings).execute()
          .map(r -> r.iterator().next().toJson())).await();
      assertThat(generic.getString("mode")).isEqualTo("force_generic_plan");
      assertThat(generic.getString("tenant")).isEqualTo(tenant);
      JsonObject after = plain.inTenant(tenant, c -> c.query(settings).execute()
          .map(r -> r.iterator().next().toJson())).await();
      assertThat(after.getString("mode")).isEqualTo("auto");
      assertThat(after.getString("tenant")).isEqualTo(tenant);
    } finally {
      one.close().await();
    }
  }

  /** Starts {@code work} on a Vert.x context, where transactions time their wait for a connection. */
  private static <T> Future<T> onContext(io.vertx.core.Vertx vertx, java.util.function.Supplier<Future<T>> work) {
    io.vertx.core.Promise<T> out = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> work.get().onComplete(out));
    return out.future();
  }
}
