package dev.otklik.api.auth;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.api.TenantSource;
import dev.otklik.store.RefreshTokenStore;
import dev.otklik.store.SessionStore;
import dev.otklik.store.RefreshTokenStore.IssuedToken;
import dev.otklik.store.RefreshTokenStore.Rotation;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/v1/tenants/:tenantId/auth/login} and {@code .../auth/refresh}. Password
 * checks run on a worker thread ({@code executeBlocking}): Argon2id takes tens of milliseconds.
 * A wrong password, an unknown e-mail and a disabled account get the same answer after the same
 * work, so the answer does not tell which e-mails exist.
 */
public final class AuthHandler {

  /** Longer inputs are refused before hashing, so a huge "password" cannot tie up a worker. */
  private static final int MAX_PASSWORD_CHARS = 1024;

  private final Vertx vertx;
  private final Sessions sessions;
  private final PasswordHasher hasher;
  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final TenantSource tenants;
  private final TwoFactorSignIn twoFactor;

  public AuthHandler(Vertx vertx, Sessions sessions, PasswordHasher hasher, UserStore users,
      RefreshTokenStore refreshTokens, TenantSource tenants) {
    this(vertx, sessions, hasher, users, refreshTokens, tenants, null);
  }

  /**
   * @param twoFactor throttling, the sign-in log, the tenant's password and second-factor rules
   *                  (see {@link TwoFactorSignIn}); null: a right password always signs in
   */
  public AuthHandler(Vertx vertx, Sessions sessions, PasswordHasher hasher, UserStore users,
      RefreshTokenStore refreshTokens, TenantSource tenants, TwoFactorSignIn twoFactor) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.hasher = hasher;
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.tenants = tenants;
    this.twoFactor = twoFactor;
  }

  /** The second step of sign-in and its throttle; null when not configured. */
  public TwoFactorSignIn twoFactor() {
    return twoFactor;
  }

  /** The token issuer this handler signs with; the guard checks tokens with the same keys. */
  public AccessTokens tokens() {
    return sessions.tokens();
  }

  /** Where every sign-in ends up: sessions, their tokens and their revocation. */
  public Sessions sessions() {
    return sessions;
  }


  /**
   * Body {@code {"email", "password"}}: 200 with an access and a refresh token, or (second factor
   * in force or required) 200 with {@code twoFactor} and a {@code challenge} and no tokens; 401, 403
   * {@code auth.password-disabled}, or 429 {@code auth.locked}.
   */
  public void login(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    JsonObject body = jsonBody(ctx);
    String email = text(body, "email");
    String password = text(body, "password");
    if (password.length() > MAX_PASSWORD_CHARS) {
      throw new OtklikException(401, "auth.invalid-credentials");
    }
    // With two-factor sign-in configured: a locked e-mail or address is refused before any work
    // (429), every attempt is logged and counted, and the right password may lead to a second step.
    (twoFactor == null ? Future.<Void>succeededFuture() : twoFactor.throttle().checkPassword(ctx, tenantId, email))
        .compose(unlocked -> users.findByEmail(tenantId, email))
        .compose(found -> vertx.executeBlocking(() -> passwordMatches(found, password))
            .compose(matches -> matches
                ? Future.succeededFuture(found.orElseThrow())
                : passwordFailed(ctx, tenantId, email, found)))
        .compose(user -> twoFactor == null
            ? sessions.start(ctx, user, "password", List.of("pwd"))
            : twoFactor.afterPassword(ctx, user))
        .onSuccess(tokens -> Sessions.respond(ctx, tokens))
        .onFailure(ctx::fail);
  }

  /** 401 after recording the failure, the same for an unknown e-mail as for a wrong password (or 429 if it locked). */
  private Future<UserAccount> passwordFailed(RoutingContext ctx, String tenantId, String email,
      Optional<UserAccount> found) {
    String reason = found.isEmpty() ? "unknown-email" : !found.get().enabled() ? "account-disabled"
        : found.get().passwordHash() == null ? "no-password" : "wrong-password";
    return (twoFactor == null ? Future.<Void>succeededFuture()
            : twoFactor.throttle().passwordFailed(ctx, tenantId, email, found.map(UserAccount::id).orElse(null), reason))
        .compose(ok -> Future.failedFuture(new OtklikException(401, "auth.invalid-credentials")));
  }

  /** Body {@code {"refreshToken"}}: 200 with the next pair of tokens, or 401 {@code auth.refresh-invalid}. */
  public void refresh(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    String token = text(jsonBody(ctx), "refreshToken");
    refreshTokens.rotate(tenantId, token)
        .compose(rotation -> {
          if (!(rotation instanceof Rotation.Rotated rotated)) {
            if (rotation instanceof Rotation.Refused refused && refused.familyId() != null) {
              // a copied token: its session is over on every node, not only for refreshing
              sessions.announce(tenantId, null, List.of(refused.familyId()));
            }
            return Future.failedFuture(new OtklikException(401, "auth.refresh-invalid"));
          }
          IssuedToken next = rotated.next();
          return users.findById(tenantId, next.userId()).compose(user -> user.filter(UserAccount::enabled).isPresent()
              ? rotatedTokens(user.get(), next, rotated.amr())
              : sessions.revoke(tenantId, next.userId(), null, null, SessionStore.Reason.ACCOUNT_DISABLED)
                  .compose(ignored -> Future.failedFuture(new OtklikException(401, "auth.refresh-invalid"))));
        })
        .onSuccess(tokens -> Sessions.respond(ctx, tokens))
        .onFailure(ctx::fail);
  }

  /**
   * The rotated session's tokens, unless the tenant's rules no longer take its password-only
   * sign-in (a second factor now required, or passwords off): then the session ends and 403.
   */
  private Future<JsonObject> rotatedTokens(UserAccount user, IssuedToken next, List<String> amr) {
    OtklikException refused = twoFactor == null ? null
        : TwoFactorSignIn.refusal(twoFactor.signIn(user.tenantId()), user.role(), amr);
    if (refused == null) {
      return Future.succeededFuture(sessions.tokens(user, next, amr));
    }
    return sessions.revoke(user.tenantId(), user.id(), List.of(next.familyId()), null,
            SessionStore.Reason.TWO_FACTOR_CHANGED)
        .compose(ignored -> Future.failedFuture(refused));
  }

  /** Blocking: runs on a worker. */
  private boolean passwordMatches(Optional<UserAccount> user, String password) {
    if (user.isEmpty() || user.get().passwordHash() == null || !user.get().enabled()) {
      hasher.verifyNothing(password);
      return false;
    }
    return hasher.verify(password, user.get().passwordHash());
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    if (body == null) {
      throw OtklikException.badRequest("request.bad");
    }
    return body;
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) {
      throw OtklikException.badRequest("request.bad");
    }
    return s;
  }
}
