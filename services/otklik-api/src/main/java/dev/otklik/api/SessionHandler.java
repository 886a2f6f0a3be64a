package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.Permissions;
import dev.otklik.api.auth.Sessions;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.core.auth.Role;
import dev.otklik.store.SessionStore;
import dev.otklik.store.SessionStore.Reason;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Sessions and the password of the signed-in person, and sessions of anyone for tenant admins:
 * <ul>
 *   <li>{@code GET .../me/sessions}: live sessions, the caller's own marked {@code current};
 *   <li>{@code DELETE .../me/sessions/:sessionId}, {@code POST .../me/sessions/revoke-others},
 *       {@code POST .../me/sign-out} (ends the current one);
 *   <li>{@code POST .../me/password} {@code {"currentPassword", "newPassword"}}: ends every other
 *       session;
 *   <li>{@code GET .../users/:userId/sessions}, {@code POST .../users/:userId/sessions/revoke}
 *       (tenant admins).
 * </ul>
 * Every ending reaches all nodes at once: access tokens of the session are refused and its
 * WebSockets closed, not only its refresh tokens.
 */
public final class SessionHandler {

  private final Vertx vertx;
  private final Sessions sessions;
  private final PasswordHasher hasher;
  private final UserStore users;

  public SessionHandler(Vertx vertx, Sessions sessions, PasswordHasher hasher, UserStore users) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.hasher = hasher;
    this.users = users;
  }

  public void mine(RoutingContext ctx) {
    AccessClaims me = person(ctx);
    list(ctx, me.tenantId(), me.userId(), me.sessionId());
  }

  public void revokeMine(RoutingContext ctx) {
    AccessClaims me = person(ctx);
    UUID id = JsonInput.pathId(ctx, "sessionId", "session.not-found");
    sessions.revoke(me.tenantId(), me.userId(), List.of(id), null, Reason.REVOKED)
        .onSuccess(ended -> {
          if (ended.isEmpty()) {
            ctx.fail(OtklikException.notFound("session.not-found", id));
          } else {
            ctx.response().setStatusCode(204).end();
          }
        })
        .onFailure(ctx::fail);
  }

  public void revokeOthers(RoutingContext ctx) {
    AccessClaims me = person(ctx);
    sessions.revoke(me.tenantId(), me.userId(), null, me.sessionId(), Reason.REVOKED)
        .onSuccess(ended -> HealthHandler.json(ctx, 200, new JsonObject().put("revoked", ended.size())))
        .onFailure(ctx::fail);
  }

  public void signOut(RoutingContext ctx) {
    AccessClaims me = person(ctx);
    if (me.sessionId() == null) {
      ctx.response().setStatusCode(204).end(); // a token of no session: nothing to end but itself
      return;
    }
    sessions.revoke(me.tenantId(), me.userId(), List.of(me.sessionId()), null, Reason.SIGN_OUT)
        .onSuccess(ended -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** Checks the current password on a worker, then sets the new one and ends the other sessions. */
  public void changePassword(RoutingContext ctx) {
    AccessClaims me = person(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("currentPassword", "newPassword"));
    String current = in.verbatim("currentPassword");
    String next = in.verbatim("newPassword");
    if (current == null || current.length() > UserHandler.MAX_PASSWORD_CHARS) {
      throw JsonInput.invalid("currentPassword", "your current password");
    }
    if (next == null || next.length() < UserHandler.MIN_PASSWORD_CHARS || next.length() > UserHandler.MAX_PASSWORD_CHARS) {
      throw OtklikException.badRequest("user.password-length", UserHandler.MIN_PASSWORD_CHARS,
          UserHandler.MAX_PASSWORD_CHARS);
    }
    users.findById(me.tenantId(), me.userId())
        .compose(found -> {
          UserAccount user = found.filter(UserAccount::enabled)
              .orElseThrow(() -> new OtklikException(401, "auth.account-disabled"));
          return vertx.executeBlocking(() -> user.passwordHash() != null && hasher.verify(current, user.passwordHash())
              ? hasher.hash(next) : null);
        })
        .compose(hash -> hash == null
            ? Future.<SessionStore.Ended>failedFuture(new OtklikException(403, "auth.password-wrong"))
            : sessions.store().changePassword(me.tenantId(), me.userId(), hash, me.sessionId()))
        .onSuccess(ended -> {
          sessions.announce(me.tenantId(), me.userId(), ended.sessionIds());
          HealthHandler.json(ctx, 200, new JsonObject().put("revokedSessions", ended.sessionIds().size()));
        })
        .onFailure(ctx::fail);
  }

  public void ofUser(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    UUID userId = JsonInput.pathId(ctx, "userId", "user.not-found");
    list(ctx, caller.tenantId(), userId, null);
  }

  public void revokeOfUser(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    UUID userId = JsonInput.pathId(ctx, "userId", "user.not-found");
    sessions.revoke(caller.tenantId(), userId, null, null, Reason.REVOKED)
        .onSuccess(ended -> HealthHandler.json(ctx, 200, new JsonObject().put("revoked", ended.size())))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx, String tenantId, UUID userId, UUID current) {
    sessions.store().live(tenantId, userId)
        .onSuccess(live -> {
          JsonArray items = new JsonArray();
          for (SessionStore.Session s : live) {
            items.add(new JsonObject()
                .put("id", s.id().toString())
                .put("current", s.id().equals(current))
                .put("method", s.method())
                .put("amr", new JsonArray(s.amr()))
                .put("userAgent", s.userAgent())
                .put("ip", s.ip())
                .put("createdAt", s.createdAt().toInstant().toString())
                .put("lastSeenAt", s.lastSeenAt().toInstant().toString())
                .put("expiresAt", s.expiresAt().toInstant().toString()));
          }
          HealthHandler.json(ctx, 200, new JsonObject().put("items", items));
        })
        .onFailure(ctx::fail);
  }

  /** A person, not an API key: keys have no sessions or passwords. */
  private static AccessClaims person(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    if (AuthGuard.apiKey(ctx) != null || me.userId().equals(AuthGuard.PLATFORM_ADMIN)) {
      throw OtklikException.forbidden("auth.person-required");
    }
    return me;
  }
}
