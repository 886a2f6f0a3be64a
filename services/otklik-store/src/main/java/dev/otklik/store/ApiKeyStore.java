package dev.otklik.store;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * API keys of a tenant's integrations. A key's secret ({@code otk_} and 256 random bits) is
 * handed out once, at creation; only its SHA-256 is stored, as for refresh tokens: a fast hash
 * is enough for a random secret. A key is looked up within the tenant of the request, so a key
 * of one tenant is simply unknown to every other.
 */
public final class ApiKeyStore {

  /** A new key as handed to its creator: {@code secret} is shown this once and stored nowhere. */
  public record IssuedApiKey(ApiKey key, String secret) {

    @Override
    public String toString() {
      return "IssuedApiKey[" + key + "]";
    }
  }

  static final String SECRET_PREFIX = "otk_";
  private static final int SECRET_BYTES = 32;
  /** Characters of the secret kept visible: the prefix and eight more. */
  private static final int VISIBLE_CHARS = SECRET_PREFIX.length() + 8;

  private final TenantTransactions tx;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final NamedSql.Statement insert;
  private final NamedSql.Statement list;
  private final NamedSql.Statement findLive;
  private final NamedSql.Statement revoke;

  public ApiKeyStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    NamedSql sql = NamedSql.load("api_key");
    this.insert = sql.get("insert-key");
    this.list = sql.get("list-keys");
    this.findLive = sql.get("find-live-by-hash");
    this.revoke = sql.get("revoke-key");
  }

  /**
   * Makes a key. Fails with 400 {@code api-key.role-invalid} for the customer role (customers act
   * through people), 400 {@code api-key.name-required} for a blank name, or 409
   * {@code api-key.name-taken} when a live key of the tenant already has the name.
   */
  public Future<IssuedApiKey> create(String tenantId, String name, Role role, UUID createdBy) {
    if (role == Role.CUSTOMER) {
      return Future.failedFuture(OtklikException.badRequest("api-key.role-invalid", role.code()));
    }
    if (name == null || name.isBlank()) {
      return Future.failedFuture(OtklikException.badRequest("api-key.name-required"));
    }
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(insert.sql())
            .execute(insert.tuple(Params.of(
                "id", UUID.randomUUID(), "tenant_id", tenantId, "name", name.strip(),
                "key_hash", RefreshTokenStore.hash(secret), "key_prefix", secret.substring(0, VISIBLE_CHARS),
                "role", role.code(), "created_by", createdBy, "created_at", now())))
            .map(rows -> new IssuedApiKey(first(rows).orElseThrow(), secret)))
        .recover(failure -> Future.failedFuture(
            PgErrors.is(failure, PgErrors.UNIQUE_VIOLATION, "api_key_live_name_per_tenant")
                ? new OtklikException(409, "api-key.name-taken", name.strip())
                : failure));
  }

  /** The tenant's keys, live and revoked, newest first. */
  public Future<Page<ApiKey>> list(String tenantId, int offset, int limit) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(list.sql())
        .execute(list.tuple(Params.of("tenant_id", tenantId, "limit", (long) limit, "offset", (long) offset)))
        .map(rows -> Page.of(rows, ApiKeyStore::key)));
  }

  /** The live key of this tenant with this secret, if any. */
  public Future<Optional<ApiKey>> authenticate(String tenantId, String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
      return Future.succeededFuture(Optional.empty());
    }
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(findLive.sql())
        .execute(findLive.tuple(Params.of("tenant_id", tenantId, "key_hash", RefreshTokenStore.hash(secret))))
        .map(ApiKeyStore::first));
  }

  /** Revokes a key for good (again: no change); empty when the tenant has no such key. */
  public Future<Optional<ApiKey>> revoke(String tenantId, UUID id) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(revoke.sql())
        .execute(revoke.tuple(Params.of("tenant_id", tenantId, "id", id, "now", now())))
        .map(ApiKeyStore::first));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static Optional<ApiKey> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(key(rows.iterator().next()));
  }

  private static ApiKey key(Row row) {
    return new ApiKey(row.getUUID("id"), row.getString("tenant_id"), row.getString("name"),
        row.getString("key_prefix"), Role.ofCode(row.getString("role")), row.getUUID("created_by"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("revoked_at"));
  }
}
