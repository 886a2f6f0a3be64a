package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * Idempotency keys of creating requests, per tenant and caller (a user or an API key). The first
 * request with a key claims it in a short transaction of its own, runs, and then completes the
 * key with its response; a retry with the same key and request gets that response again. The
 * primary key decides between two concurrent first requests: one claims, the other sees the
 * claim in progress. Keys are forgotten after {@code ttl}.
 */
public final class IdempotencyStore {

  /** What claiming a key found. */
  public sealed interface Claim {
    /** This request is the first with the key: run it, then complete or release the key. */
    record Claimed() implements Claim {}

    /** The key was used for a different request (other path or body). */
    record Mismatch() implements Claim {}

    /** The first request with the key has not finished yet. */
    record InProgress() implements Claim {}

    /** The first request finished with this response; send it again. */
    record Completed(int status, JsonObject headers, String body) implements Claim {}
  }

  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  private final TenantTransactions tx;
  private final Clock clock;
  private final Duration ttl;
  private final NamedSql.Statement deleteExpired;
  private final NamedSql.Statement claim;
  private final NamedSql.Statement find;
  private final NamedSql.Statement complete;
  private final NamedSql.Statement release;

  public IdempotencyStore(TenantTransactions tx, Clock clock, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("idempotency key lifetime must be positive, was " + ttl);
    }
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = ttl;
    NamedSql sql = NamedSql.load("idempotency_key");
    this.deleteExpired = sql.get("delete-expired");
    this.claim = sql.get("claim");
    this.find = sql.get("find");
    this.complete = sql.get("complete");
    this.release = sql.get("release");
  }

  /** Claims {@code key} for a request whose method, path and body hash to {@code requestHash}. */
  public Future<Claim> claim(String tenantId, UUID principalId, String key, String requestHash) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(deleteExpired.sql())
        .execute(deleteExpired.tuple(Params.of(
            "tenant_id", tenantId, "principal_id", principalId, "expired_before", now.minus(ttl))))
        .compose(ignored -> conn.preparedQuery(claim.sql()).execute(claim.tuple(Params.of(
            "tenant_id", tenantId, "principal_id", principalId, "idem_key", key, "request_hash", requestHash,
            "now", now))))
        .compose(claimed -> claimed.size() == 1
            ? Future.succeededFuture(new Claim.Claimed())
            : conn.preparedQuery(find.sql())
                .execute(find.tuple(Params.of("tenant_id", tenantId, "principal_id", principalId, "idem_key", key)))
                .map(rows -> existing(rows.iterator().next(), requestHash))));
  }

  /** Records the first request's response; a later claim with the same request replays it. */
  public Future<Void> complete(String tenantId, UUID principalId, String key, int status, JsonObject headers,
      String body) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(complete.sql())
        .execute(complete.tuple(Params.of(
            "tenant_id", tenantId, "principal_id", principalId, "idem_key", key, "status", status,
            "headers", headers, "body", body, "now", now())))
        .mapEmpty());
  }

  /** Gives up an unfinished claim (the request failed), so a retry runs afresh. */
  public Future<Void> release(String tenantId, UUID principalId, String key) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(release.sql())
        .execute(release.tuple(Params.of("tenant_id", tenantId, "principal_id", principalId, "idem_key", key)))
        .mapEmpty());
  }

  private static Claim existing(Row row, String requestHash) {
    if (!row.getString("request_hash").equals(requestHash)) {
      return new Claim.Mismatch();
    }
    Integer status = row.getInteger("response_status");
    if (status == null) {
      return new Claim.InProgress();
    }
    return new Claim.Completed(status, row.getJsonObject("response_headers"), row.getString("response_body"));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
