package dev.otklik.api.auth;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.store.RefreshTokenStore;
import dev.otklik.store.RefreshTokenStore.IssuedToken;
import dev.otklik.store.RefreshTokenStore.Rotation;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
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
  private final AccessTokens accessTokens;
  private final PasswordHasher hasher;
  private final UserStore users;
  private final RefreshTokenStore refreshTokens;

  public AuthHandler(Vertx vertx, AccessTokens accessTokens, PasswordHasher hasher, UserStore users,
      RefreshTokenStore refreshTokens) {
    this.vertx = vertx;
    this.accessTokens = accessTokens;
    this.hasher = hasher;
    this.users = users;
    this.refreshTokens = refreshTokens;
  }
  /** The token issuer this handler signs with; the guard checks tokens with the same keys. */
  public AccessTokens tokens() {
    return accessTokens;
  }


  /** Body {@code {"email", "password"}}: 200 with an access and a refresh token, or 401. */
  public void login(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    JsonObject body = jsonBody(ctx);
    String email = text(body, "email");
    String password = text(body, "password");
    if (password.length() > MAX_PASSWORD_CHARS) {
      throw new OtklikException(401, "auth.invalid-credentials");
    }
    users.findByEmail(tenantId, email)
        .compose(found -> vertx.executeBlocking(() -> passwordMatches(found, password))
            .compose(matches -> matches
                ? Future.succeededFuture(found.orElseThrow())
                : Future.failedFuture(new OtklikException(401, "auth.invalid-credentials"))))
        .compose(user -> refreshTokens.issue(tenantId, user.id()).map(refresh -> tokens(user, refresh)))
        .onSuccess(tokens -> respond(ctx, tokens))
        .onFailure(ctx::fail);
  }

  /** Body {@code {"refreshToken"}}: 200 with the next pair of tokens, or 401 {@code auth.refresh-invalid}. */
  public void refresh(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    String token = text(jsonBody(ctx), "refreshToken");
    refreshTokens.rotate(tenantId, token)
        .compose(rotation -> {
          if (!(rotation instanceof Rotation.Rotated rotated)) {
            return Future.failedFuture(new OtklikException(401, "auth.refresh-invalid"));
          }
          IssuedToken next = rotated.next();
          return users.findById(tenantId, next.userId()).compose(user -> user.filter(UserAccount::enabled).isPresent()
              ? Future.succeededFuture(tokens(user.get(), next))
              : refreshTokens.revokeAllForUser(tenantId, next.userId())
                  .compose(ignored -> Future.failedFuture(new OtklikException(401, "auth.refresh-invalid"))));
        })
        .onSuccess(tokens -> respond(ctx, tokens))
        .onFailure(ctx::fail);
  }

  /** Blocking: runs on a worker. */
  private boolean passwordMatches(Optional<UserAccount> user, String password) {
    if (user.isEmpty() || user.get().passwordHash() == null || !user.get().enabled()) {
      hasher.verifyNothing(password);
      return false;
    }
    return hasher.verify(password, user.get().passwordHash());
  }

  private JsonObject tokens(UserAccount user, IssuedToken refresh) {
    AccessTokens.AccessToken access = accessTokens.issue(user);
    return new JsonObject()
        .put("accessToken", access.token())
        .put("tokenType", "Bearer")
        .put("expiresIn", access.expiresInSeconds())
        .put("refreshToken", refresh.token())
        .put("refreshExpiresAt", refresh.expiresAt().toInstant().toString());
  }

  private static void respond(RoutingContext ctx, JsonObject tokens) {
    ctx.response().setStatusCode(200)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(tokens.encode());
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
