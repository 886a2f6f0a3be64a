package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Sessions (V022): one per sign-in, with the device it came from. Starting one issues the first
 * refresh token of its family in the same transaction; ending one revokes the row and every live
 * refresh token of the family in one statement. Telling other nodes to refuse the session's
 * access tokens is the caller's part (the ids revoked are returned for that).
 */
public final class SessionStore {

  /** Why sessions end; stored as given. */
  public enum Reason {
    SIGN_OUT("sign-out"), REVOKED("revoked"), PASSWORD_CHANGED("password-changed"),
    PASSWORD_RESET("password-reset"), ACCOUNT_DISABLED("account-disabled"),
    REFRESH_REUSED("refresh-reused"), TWO_FACTOR_CHANGED("two-factor-changed");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** Where and how a sign-in happened; user agent and address as the request gave them. */
  public record SignInFacts(String method, List<String> amr, String userAgent, String ip) {
    public SignInFacts {
      Objects.requireNonNull(method, "method");
      amr = List.copyOf(amr);
      userAgent = clip(userAgent, 512);
      ip = clip(ip, 64);
    }
  }

  /** A live session as listed to its owner or an admin. */
  public record Session(UUID id, String method, List<String> amr, String userAgent, String ip,
      OffsetDateTime createdAt, OffsetDateTime lastSeenAt, OffsetDateTime expiresAt) {}

  /** The sessions a password change or reset ended, for telling the other nodes. */
  public record Ended(UUID userId, List<UUID> sessionIds) {}

  /** A session ended at a time (for nodes warming their list of refused access tokens). */
  public record Revoked(UUID id, Instant revokedAt) {}

  private final TenantTransactions tx;
  private final RefreshTokenStore refreshTokens;
  private final Clock clock;
  private final NamedSql sql = NamedSql.load("session");
  private final NamedSql users = NamedSql.load("user");

  public SessionStore(TenantTransactions tx, RefreshTokenStore refreshTokens, Clock clock) {
    this.tx = tx;
    this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** For stores that only end sessions inside their own transactions (password resets). */
  SessionStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.refreshTokens = null;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts a session and issues its first refresh token (family id = session id). */
  public Future<RefreshTokenStore.IssuedToken> start(String tenantId, UUID userId, SignInFacts facts) {
    UUID id = UUID.randomUUID();
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "insert-session", Params.of(
            "tenant_id", tenantId, "id", id, "user_id", userId, "method", facts.method(),
            "amr", facts.amr().toArray(String[]::new), "user_agent", facts.userAgent(), "ip", facts.ip(),
            "now", now, "expires_at", now.plus(refreshTokens.ttl())))
        .compose(ignored -> refreshTokens.insert(conn, tenantId, userId, id, id, now)));
  }

  /** The user's sessions that can still refresh, most recently used first. */
  public Future<List<Session>> live(String tenantId, UUID userId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "live-sessions",
            Params.of("tenant_id", tenantId, "user_id", userId, "now", now()))
        .map(rows -> {
          List<Session> sessions = new ArrayList<>();
          for (Row row : rows) {
            String[] amr = row.getArrayOfStrings("amr");
            sessions.add(new Session(row.getUUID("id"), row.getString("method"),
                amr == null ? List.of() : Arrays.asList(amr), row.getString("user_agent"), row.getString("ip"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("last_seen_at"),
                row.getOffsetDateTime("expires_at")));
          }
          return sessions;
        }));
  }

  /**
   * Ends sessions of one user: {@code ids} (null: all of them) except {@code keep} (may be null).
   * Returns the ids that were live and are now ended; an id of another user ends nothing.
   */
  public Future<List<UUID>> revoke(String tenantId, UUID userId, Collection<UUID> ids, UUID keep, Reason reason) {
    return tx.inTenant(tenantId, conn -> revokeOn(conn, tenantId, userId, ids, keep, reason));
  }

  /**
   * Sets a new password hash and ends the user's other sessions in one transaction, so no
   * session that knew only the old password survives the change.
   */
  public Future<Ended> changePassword(String tenantId, UUID userId, String passwordHash, UUID keep) {
    return tx.inTenant(tenantId, conn -> users.run(conn, "set-password-hash",
            Params.of("tenant_id", tenantId, "id", userId, "password_hash", passwordHash))
        .compose(ignored -> revokeOn(conn, tenantId, userId, null, keep, Reason.PASSWORD_CHANGED))
        .map(ids -> new Ended(userId, ids)));
  }

  /** {@link #revoke} on a connection already in the tenant's transaction (password resets). */
  Future<List<UUID>> revokeOn(io.vertx.sqlclient.SqlConnection conn, String tenantId, UUID userId,
      Collection<UUID> ids, UUID keep, Reason reason) {
    return sql.run(conn, "revoke-sessions", Params.of(
            "tenant_id", tenantId, "user_id", userId, "now", now(), "reason", reason.code(),
            "ids", ids == null ? null : ids.toArray(UUID[]::new), "keep", keep))
        .map(rows -> {
          List<UUID> ended = new ArrayList<>();
          rows.forEach(row -> ended.add(row.getUUID("id")));
          return ended;
        });
  }

  /** Sessions of the tenant ended after {@code since}. */
  public Future<List<Revoked>> revokedSince(String tenantId, Instant since) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "revoked-since",
            Params.of("tenant_id", tenantId, "since", OffsetDateTime.ofInstant(since, ZoneOffset.UTC)))
        .map(rows -> {
          List<Revoked> revoked = new ArrayList<>();
          rows.forEach(row -> revoked.add(new Revoked(row.getUUID("id"), row.getOffsetDateTime("revoked_at").toInstant())));
          return revoked;
        }));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
