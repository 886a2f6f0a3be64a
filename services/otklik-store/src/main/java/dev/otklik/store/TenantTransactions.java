package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one way to touch tenant data: a transaction in which {@code app.tenant_id} is set for
 * row-level security. The setting is transaction-local ({@code is_local = true}), so it never
 * leaks to the next user of a pooled connection.
 */
public final class TenantTransactions {

  private static final String SET_TENANT = "SELECT set_config('app.tenant_id', $1, true)";

  private final Pool pool;
  private final SqlConnection joined;

  public TenantTransactions(Pool pool) {
    this.pool = Objects.requireNonNull(pool);
    this.joined = null;
  }

  private TenantTransactions(SqlConnection joined) {
    this.pool = null;
    this.joined = joined;
  }

  /**
   * Transactions that join one already open on {@code conn}: every {@link #inTenant} runs on it,
   * inside that transaction, so several stores' changes commit or roll back together (the mail
   * intake records an inbound message and the request it creates at once).
   */
  public static TenantTransactions joining(SqlConnection conn) {
    return new TenantTransactions(Objects.requireNonNull(conn));
  }

  public <T> Future<T> inTenant(String tenantId, Function<SqlConnection, Future<T>> work) {
    Objects.requireNonNull(tenantId, "tenantId");
    if (joined != null) {
      return joined.preparedQuery(SET_TENANT).execute(Tuple.of(tenantId)).compose(ignored -> work.apply(joined));
    }
    return pool.withTransaction(conn -> {
      Future<?> tenantSet = conn.preparedQuery(SET_TENANT).execute(Tuple.of(tenantId));
      // The work's first statement goes out right behind set_config, pipelined on the connection
      // (one round trip less): statements run in order, so it already sees the tenant, and a
      // failed set_config fails the transaction, which then rolls back.
      Future<T> result;
      try {
        result = work.apply(conn);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      Future<T> done = result;
      // Settle only when both have, so nothing of the work still runs when the transaction ends.
      return Future.join(tenantSet, done).transform(all -> tenantSet.failed()
          ? Future.<T>failedFuture(tenantSet.cause()) : done);
    });
  }

  public Pool pool() {
    return pool;
  }
}
