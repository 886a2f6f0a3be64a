package dev.otklik.store;

import dev.otklik.core.OtklikException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one way to touch tenant data: a transaction in which {@code app.tenant_id} is set for
 * row-level security. The setting is transaction-local ({@code is_local = true}), so it never
 * leaks to the next user of a pooled connection.
 *
 * <p>BEGIN, set_config and the work's first statements go out together, pipelined on the
 * connection: PostgreSQL runs them in order, so a transaction costs no round trip of its own. A
 * work that knows its last statement may also send the COMMIT right behind it ({@link Commit}), so
 * row locks taken by that statement are released as soon as PostgreSQL has run it, not after
 * this node has seen its reply.
 *
 * <p>A work that sends statements side by side settles only when all of them have
 * ({@code Future.join}, not {@code Future.all}): the ROLLBACK goes out when the work fails, and a
 * statement sent after it would run, and commit, on its own.
 *
 * <p>A transaction waits at most {@link #CONNECTION_WAIT} for a pooled connection, then fails with
 * 503 {@code service.busy}. The wait is timed here, not by the pool ({@link PgPools} turns the
 * pool's own timeout off): in Vert.x 5.0 the pool's timeout can fire for a waiter that was just
 * handed a connection, and the exception it then throws inside the pool's task chain drops the
 * tasks queued behind it, leaking connections until the pool is wedged (eclipse-vertx/vert.x#6169).
 * A connection that arrives after the wait went back to the pool at once.
 */
public final class TenantTransactions {

  /** The longest a transaction waits for a connection (the pool's old default). */
  public static final Duration CONNECTION_WAIT = Duration.ofSeconds(30);

  private static final String SET_TENANT = "SELECT set_config('app.tenant_id', $1, true)";
  private static final String SET_TENANT_GENERIC_PLANS = "SELECT set_config('app.tenant_id', $1, true),"
      + " set_config('plan_cache_mode', 'force_generic_plan', true)";

  private final Pool pool;
  private final SqlConnection joined;
  private final long waitMillis;
  private final String setTenant;

  public TenantTransactions(Pool pool) {
    this(pool, CONNECTION_WAIT);
  }

  public TenantTransactions(Pool pool, Duration connectionWait) {
    this(pool, null, Math.max(1, connectionWait.toMillis()), SET_TENANT);
  }

  private TenantTransactions(Pool pool, SqlConnection joined, long waitMillis, String setTenant) {
    this.pool = joined == null ? Objects.requireNonNull(pool) : null;
    this.joined = joined;
    this.waitMillis = waitMillis;
    this.setTenant = setTenant;
  }

  /**
   * The same transactions, whose prepared statements run on PostgreSQL's generic plans
   * ({@code plan_cache_mode}, transaction-local like the tenant). For works whose statements find
   * their rows by key (a request by number, its deadlines, inserts): a custom plan is made anew at
   * every execution, and for a read by number those plannings cost more than the reads (the
   * {@code http} bench's read went from 2,774-3,388/s to 4,876/s). Not for lists and searches,
   * whose best plan depends on the values (the same bench's list fell from 834/s to 477/s).
   */
  public TenantTransactions onGenericPlans() {
    return new TenantTransactions(pool, joined, waitMillis, SET_TENANT_GENERIC_PLANS);
  }

  /**
   * Transactions that join one already open on {@code conn}: every {@link #inTenant} runs on it,
   * inside that transaction, so several stores' changes commit or roll back together (the mail
   * intake records an inbound message and the request it creates at once).
   */
  public static TenantTransactions joining(SqlConnection conn) {
    return new TenantTransactions(null, Objects.requireNonNull(conn), 0, SET_TENANT);
  }

  public <T> Future<T> inTenant(String tenantId, Function<SqlConnection, Future<T>> work) {
    return inTenant(tenantId, (conn, commit) -> work.apply(conn));
  }

  /** As {@link #inTenant(String, Function)}, for a work that may commit behind its last statement. */
  public <T> Future<T> inTenant(String tenantId, BiFunction<SqlConnection, Commit, Future<T>> work) {
    Objects.requireNonNull(tenantId, "tenantId");
    if (joined != null) {
      // the outer transaction commits; a joined work's early commit is a no-op
      return joined.preparedQuery(setTenant).execute(Tuple.of(tenantId))
          .compose(ignored -> work.apply(joined, Commit.JOINED));
    }
    return connection().compose(conn -> {
      Future<?> begun = conn.query("BEGIN").execute();
      Future<?> tenantSet = conn.preparedQuery(setTenant).execute(Tuple.of(tenantId));
      Commit commit = new Commit(conn);
      Future<T> result;
      try {
        result = work.apply(conn, commit);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      Future<T> done = result;
      // Settle only when every statement has, so nothing of the work still runs when the transaction ends.
      return Future.join(begun, tenantSet, done).transform(all -> {
        Throwable failure = begun.failed() ? begun.cause() : tenantSet.failed() ? tenantSet.cause()
            : done.failed() ? done.cause() : null;
        if (commit.sent != null) {
          // a failed statement aborted the transaction, and PostgreSQL answered the early COMMIT with a rollback
          return failure == null ? done : Future.<T>failedFuture(failure);
        }
        if (failure == null) {
          return conn.query("COMMIT").execute().map(ok -> done.result());
        }
        return conn.query("ROLLBACK").execute().transform(rolledBack -> Future.<T>failedFuture(failure));
      }).onComplete(settled -> conn.close());
    });
  }

  public Pool pool() {
    return pool;
  }

  /** A pooled connection, or 503 {@code service.busy} after the wait (timed on the caller's context, if any). */
  private Future<SqlConnection> connection() {
    Future<SqlConnection> acquired = pool.getConnection();
    Context context = Vertx.currentContext();
    if (acquired.isComplete() || context == null) {
      return acquired;
    }
    Promise<SqlConnection> out = Promise.promise();
    Vertx vertx = context.owner();
    long timer = vertx.setTimer(waitMillis, id -> out.tryFail(new OtklikException(503, "service.busy")));
    acquired.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        out.tryFail(ar.cause());
      } else if (!out.tryComplete(ar.result())) {
        ar.result().close(); // too late: the caller has its 503
      }
    });
    return out.future();
  }

  /**
   * Sends COMMIT behind the statements already sent. Only statements may come after the last
   * statement's send: a Java check that fails after the COMMIT went out cannot undo it.
   */
  public static final class Commit {

    static final Commit JOINED = new Commit(null);

    private final SqlConnection conn;
    private Future<?> sent;

    private Commit(SqlConnection conn) {
      this.conn = conn;
    }

    /** The transaction's outcome: {@code last}'s value once the COMMIT behind it has succeeded. */
    public <T> Future<T> behind(Future<T> last) {
      if (conn == null) {
        return last;
      }
      if (sent != null) {
        throw new IllegalStateException("the transaction is already committing");
      }
      Future<?> committed = conn.query("COMMIT").execute();
      sent = committed;
      return Future.join(last, committed).transform(all -> last.failed() ? last
          : committed.failed() ? Future.<T>failedFuture(committed.cause()) : last);
    }
  }
}
