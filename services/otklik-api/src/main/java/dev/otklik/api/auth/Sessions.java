package dev.otklik.api.auth;

import dev.otklik.core.OtklikException;
import dev.otklik.store.RefreshTokenStore.IssuedToken;
import dev.otklik.store.SessionStore;
import dev.otklik.store.SessionStore.Reason;
import dev.otklik.store.SessionStore.SignInFacts;
import dev.otklik.store.UserAccount;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The one way a person ends up signed in, whatever proved who they are (password, password and
 * TOTP, OpenID Connect): a session row with the device, its first refresh token, and an access
 * token carrying the session id ({@code sid}) and how they signed in ({@code amr}). Ending
 * sessions goes through here too, so every node hears of it.
 */
public final class Sessions {

  private final AccessTokens accessTokens;
  private final SessionStore store;
  private final SessionRevocations revocations;

  public Sessions(AccessTokens accessTokens, SessionStore store, SessionRevocations revocations) {
    this.accessTokens = accessTokens;
    this.store = store;
    this.revocations = revocations;
  }

  public AccessTokens tokens() {
    return accessTokens;
  }

  public SessionStore store() {
    return store;
  }

  public SessionRevocations revocations() {
    return revocations;
  }

  /**
   * Starts a session for {@code user}, who has just proven who they are, and answers 200 with the
   * tokens. The caller has checked that the account is enabled.
   *
   * @param method how: {@code password}, {@code password+totp}, {@code oidc:<provider>}, ...
   * @param amr    RFC 8176 values: pwd, otp, mfa, ext
   */
  public void signIn(RoutingContext ctx, UserAccount user, String method, List<String> amr) {
    start(ctx, user, method, amr).onSuccess(tokens -> respond(ctx, tokens)).onFailure(ctx::fail);
  }

  /** {@link #signIn} without answering: the token JSON. */
  public Future<JsonObject> start(RoutingContext ctx, UserAccount user, String method, List<String> amr) {
    if (!user.enabled()) {
      return Future.failedFuture(new OtklikException(401, "auth.account-disabled"));
    }
    SignInFacts facts = new SignInFacts(method, amr, ctx.request().getHeader("User-Agent"),
        ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress());
    return store.start(user.tenantId(), user.id(), facts).map(refresh -> tokens(user, refresh, amr));
  }

  /** The next pair after a refresh rotation of session {@code refresh.familyId()}. */
  public JsonObject tokens(UserAccount user, IssuedToken refresh, List<String> amr) {
    AccessTokens.AccessToken access = accessTokens.issue(user, refresh.familyId(), amr);
    return new JsonObject()
        .put("accessToken", access.token())
        .put("tokenType", "Bearer")
        .put("expiresIn", access.expiresInSeconds())
        .put("refreshToken", refresh.token())
        .put("refreshExpiresAt", refresh.expiresAt().toInstant().toString())
        .put("sessionId", refresh.familyId().toString());
  }

  /** Ends sessions of a user (null ids: all, but {@code keep}) and tells every node. */
  public Future<List<UUID>> revoke(String tenantId, UUID userId, Collection<UUID> ids, UUID keep, Reason reason) {
    return store.revoke(tenantId, userId, ids, keep, reason).onSuccess(ended -> announce(tenantId, userId, ended));
  }

  /** Tells every node that these sessions ended (after the store committed it). */
  public void announce(String tenantId, UUID userId, Collection<UUID> sessionIds) {
    revocations.announce(tenantId, userId, sessionIds);
  }

  public static void respond(RoutingContext ctx, JsonObject tokens) {
    ctx.response().setStatusCode(200)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(tokens.encode());
  }
}
