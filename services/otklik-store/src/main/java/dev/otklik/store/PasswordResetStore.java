package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Password reset by e-mail. {@link #request} makes a one-hour link and queues its mail in the
 * same transaction (so a committed reset always has its mail, and a rolled-back one none);
 * {@link #complete} spends it, sets the new password and revokes the user's refresh tokens,
 * again in one transaction. Only the SHA-256 of a link's secret is stored.
 */
public final class PasswordResetStore {

  public static final Duration TTL = Duration.ofHours(1);
  /** More requests for one account within an hour are dropped silently (no mail flood). */
  public static final int MAX_PER_HOUR = 3;

  private final TenantTransactions tx;
  private final Clock clock;
  private final NamedSql sql = NamedSql.load("password_reset");
  private final NamedSql users = NamedSql.load("user");
  private final SessionStore sessions;
  private final MailStore mail;
  private final SecureRandom random = new SecureRandom();

  public PasswordResetStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.mail = new MailStore(tx, clock);
    this.sessions = new SessionStore(tx, clock);
    for (String name : new String[] {"recent-resets", "insert-reset", "lock-live-reset", "spend-reset",
        "spend-other-resets"}) {
      sql.get(name);
    }
  }

  /**
   * For an enabled person with this e-mail, a new reset link: {@code mailPayload} turns the
   * link's secret and the person into the direct mail's payload ({@code to}, {@code template},
   * {@code values}). Empty, and nothing written, for an unknown e-mail, a disabled account or too
   * many recent requests; the caller answers the same either way.
   */
  public Future<Optional<UUID>> request(String tenantId, String email,
      Function<Issued, JsonObject> mailPayload) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> users.run(conn, "find-by-email", Params.of("tenant_id", tenantId,
            "email", email))
        .compose(found -> {
          Row user = found.size() == 0 ? null : found.iterator().next();
          if (user == null || !user.getBoolean("enabled") || Boolean.TRUE.equals(user.getBoolean("service_account"))) {
            return Future.succeededFuture(Optional.<UUID>empty());
          }
          UUID userId = user.getUUID("id");
          return sql.run(conn, "recent-resets", Params.of("tenant_id", tenantId, "user_id", userId,
                  "since", now.minusHours(1)))
              .compose(recent -> {
                if (recent.iterator().next().getLong("n") >= MAX_PER_HOUR) {
                  return Future.succeededFuture(Optional.<UUID>empty());
                }
                byte[] secret = new byte[32];
                random.nextBytes(secret);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
                UUID id = UUID.randomUUID();
                Issued issued = new Issued(token, user.getString("email"), user.getString("display_name"),
                    user.getString("locale"), now.plus(TTL));
                return sql.run(conn, "insert-reset", Params.of("tenant_id", tenantId, "id", id, "user_id", userId,
                        "token_hash", RefreshTokenStore.hash(token), "now", now, "expires_at", now.plus(TTL)))
                    .compose(ok -> mail.insertDirect(conn, tenantId, "direct", null, mailPayload.apply(issued)))
                    .map(ok -> Optional.of(id));
              });
        }));
  }

  /** What the reset mail needs: the secret for the link, and whom to write to. */
  public record Issued(String token, String email, String displayName, String locale, OffsetDateTime expiresAt) {}

  /** The user a live link belongs to; nothing is spent (checked before the new password is hashed). */
  public Future<Optional<UUID>> userOf(String tenantId, String token) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "lock-live-reset", Params.of("tenant_id", tenantId,
            "token_hash", RefreshTokenStore.hash(token), "now", now()))
        .map(rows -> rows.size() == 0 ? Optional.<UUID>empty() : Optional.of(rows.iterator().next().getUUID("user_id"))));
  }

  /**
   * Spends the link and sets {@code passwordHash}, ending every session of the user (V022) and
   * every refresh token. Empty when the link is unknown, spent or lapsed by now.
   */
  public Future<Optional<SessionStore.Ended>> complete(String tenantId, String token, String passwordHash) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "lock-live-reset", Params.of("tenant_id", tenantId,
            "token_hash", RefreshTokenStore.hash(token), "now", now))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<SessionStore.Ended>empty());
          }
          Row reset = rows.iterator().next();
          UUID userId = reset.getUUID("user_id");
          return sql.run(conn, "spend-reset", Params.of("tenant_id", tenantId, "id", reset.getUUID("id"), "now", now))
              .compose(ok -> sql.run(conn, "spend-other-resets", Params.of("tenant_id", tenantId, "user_id", userId,
                  "now", now)))
              .compose(ok -> users.run(conn, "set-password-hash", Params.of("tenant_id", tenantId, "id", userId,
                  "password_hash", passwordHash)))
              .compose(ok -> sessions.revokeOn(conn, tenantId, userId, null, null, SessionStore.Reason.PASSWORD_RESET))
              .map(ended -> Optional.of(new SessionStore.Ended(userId, ended)));
        }));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
