package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Refresh tokens with rotation and reuse detection. A token is 256 random bits handed to the
 * client once; only its SHA-256 is stored (a fast hash is enough for a random secret, unlike a
 * password). Every refresh spends the token and issues the next one of the same family; a
 * spent token presented again means it was copied, so the whole family is revoked and the
 * holder of the newest token must log in again too.
 */
public final class RefreshTokenStore {

  /** Why a presented token was not accepted. */
  public enum Refusal {
    /** No such token in this tenant. */
    UNKNOWN,
    /** Past its expiry. */
    EXPIRED,
    /** Revoked by a logout or a revoke-all, not by rotation. */
    REVOKED,
    /** Already rotated once: a copy is in use, and its family is now revoked. */
    REUSED
  }

  /** A token as handed to the client: {@code token} is the secret and is not stored anywhere. */
  public record IssuedToken(UUID id, UUID userId, UUID familyId, String token, OffsetDateTime expiresAt) {

    @Override
    public String toString() {
      return "IssuedToken[" + id + " of family " + familyId + ", expires " + expiresAt + "]";
    }
  }

  /** The outcome of presenting a token: either the next token, or a refusal. */
  public sealed interface Rotation {
    /** @param amr how the session signed in (V022); empty for tokens from before sessions */
    record Rotated(IssuedToken next, java.util.List<String> amr) implements Rotation {
      public Rotated(IssuedToken next) {
        this(next, java.util.List.of());
      }
    }

    /** @param familyId the family (session) a reused token ended; null for other refusals */
    record Refused(Refusal reason, UUID familyId) implements Rotation {
      public Refused(Refusal reason) {
        this(reason, null);
      }
    }
  }

  private static final int TOKEN_BYTES = 32;

  private final TenantTransactions tx;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();
  private final NamedSql.Statement insert;
  private final NamedSql.Statement findForRotation;
  private final NamedSql.Statement markReplaced;
  private final NamedSql.Statement revokeFamily;
  private final NamedSql.Statement revokeUser;
  private final NamedSql.Statement touchSession;
  private final NamedSql.Statement endSession;

  /**
   * @param clock the time tokens are issued, expire and are revoked by
   * @param ttl   how long a token stays usable; each rotation starts a new period
   */
  public RefreshTokenStore(TenantTransactions tx, Clock clock, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("refresh token lifetime must be positive, was " + ttl);
    }
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = ttl;
    NamedSql sql = NamedSql.load("refresh_token");
    this.insert = sql.get("insert-token");
    this.findForRotation = sql.get("find-for-rotation");
    this.markReplaced = sql.get("mark-replaced");
    this.revokeFamily = sql.get("revoke-family");
    this.revokeUser = sql.get("revoke-user");
    this.touchSession = sql.get("touch-session");
    this.endSession = sql.get("end-session");
  }

  /** Issues the first token of a new family, at login. */
  public Future<IssuedToken> issue(String tenantId, UUID userId) {
    UUID id = UUID.randomUUID();
    return tx.inTenant(tenantId, conn -> insert(conn, tenantId, userId, id, id, now()));
  }

  /**
   * Spends {@code token} and issues the next one of its family. A refusal is a result rather than
   * a failed future, because reuse must commit its revocation of the family.
   */
  public Future<Rotation> rotate(String tenantId, String token) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(findForRotation.sql())
        .execute(findForRotation.tuple(Params.of("tenant_id", tenantId, "token_hash", hash(token))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return refused(Refusal.UNKNOWN);
          }
          Row row = rows.iterator().next();
          OffsetDateTime now = now();
          UUID familyId = row.getUUID("family_id");
          if (row.getOffsetDateTime("revoked_at") != null) {
            if (row.getUUID("replaced_by") == null) {
              return refused(Refusal.REVOKED);
            }
            return conn.preparedQuery(revokeFamily.sql())
                .execute(revokeFamily.tuple(Params.of("tenant_id", tenantId, "family_id", familyId, "now", now)))
                .compose(ignored -> conn.preparedQuery(endSession.sql())
                    .execute(endSession.tuple(Params.of("tenant_id", tenantId, "id", familyId, "now", now))))
                .compose(ignored -> Future.succeededFuture((Rotation) new Rotation.Refused(Refusal.REUSED, familyId)));
          }
          if (!row.getOffsetDateTime("expires_at").isAfter(now)) {
            return refused(Refusal.EXPIRED);
          }
          UUID nextId = UUID.randomUUID();
          return insert(conn, tenantId, row.getUUID("user_id"), nextId, familyId, now)
              .compose(next -> conn.preparedQuery(markReplaced.sql())
                  .execute(markReplaced.tuple(Params.of(
                      "tenant_id", tenantId, "id", row.getUUID("id"), "replaced_by", nextId, "now", now)))
                  .compose(ignored -> conn.preparedQuery(touchSession.sql()).execute(touchSession.tuple(Params.of(
                      "tenant_id", tenantId, "id", familyId, "now", now, "expires_at", next.expiresAt()))))
                  .map(session -> {
                    String[] amr = session.size() == 0 ? null : session.iterator().next().getArrayOfStrings("amr");
                    return (Rotation) new Rotation.Rotated(next, amr == null ? java.util.List.of() : java.util.List.of(amr));
                  }));
        }));
  }

  /** Revokes every live token of a user (password change, account disabled, "log out everywhere"). */
  public Future<Integer> revokeAllForUser(String tenantId, UUID userId) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(revokeUser.sql())
        .execute(revokeUser.tuple(Params.of("tenant_id", tenantId, "user_id", userId, "now", now())))
        .map(rows -> rows.rowCount()));
  }

  Duration ttl() {
    return ttl;
  }

  /** Inserts a token of {@code familyId} on {@code conn}: shared with {@link SessionStore#start}. */
  Future<IssuedToken> insert(
      SqlConnection conn, String tenantId, UUID userId, UUID id, UUID familyId, OffsetDateTime now) {
    byte[] secret = new byte[TOKEN_BYTES];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    OffsetDateTime expiresAt = now.plus(ttl);
    return conn.preparedQuery(insert.sql())
        .execute(insert.tuple(Params.of(
            "id", id, "tenant_id", tenantId, "user_id", userId, "family_id", familyId,
            "token_hash", hash(token), "issued_at", now, "expires_at", expiresAt)))
        .map(ignored -> new IssuedToken(id, userId, familyId, token, expiresAt));
  }

  private static Future<Rotation> refused(Refusal reason) {
    return Future.succeededFuture(new Rotation.Refused(reason));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
