package dev.otklik.api;

import dev.otklik.api.auth.SessionRevocations;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.store.PasswordResetStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Password reset by e-mail, for people who cannot sign in. {@code POST .../auth/password-reset}
 * {@code {"email"}} answers 202 whether or not the address is known (the answer must not tell
 * which addresses exist) and mails a one-hour link to the portal's reset page. {@code POST
 * .../auth/password-reset/confirm} {@code {"token", "password"}} sets the new password and ends
 * every signed-in session: 204, or 400 {@code auth.reset-invalid} for an unknown, used or lapsed
 * link. The new password is hashed on a worker, and only after the link was found live.
 */
public final class PasswordResetHandler {

  private final Vertx vertx;
  private final PasswordHasher hasher;
  private final PasswordResetStore store;
  private final String linkBase;
  private final SessionRevocations revocations;

  public PasswordResetHandler(Vertx vertx, PasswordHasher hasher, PasswordResetStore store, String linkBase,
      SessionRevocations revocations) {
    this.vertx = vertx;
    this.hasher = hasher;
    this.store = store;
    this.linkBase = linkBase;
    this.revocations = revocations;
  }

  public void request(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    String email = JsonInput.of(ctx, Set.of("email")).requiredText("email", 320);
    store.request(tenantId, email, issued -> new JsonObject()
            .put("to", new JsonArray().add(issued.email()))
            .put("template", "password-reset")
            .put("values", new JsonObject().put("name", issued.displayName())
                .put("link", linkBase + "/t/" + tenantId + "/#/reset/" + issued.token())))
        .onSuccess(ignored -> ctx.response().setStatusCode(202).end())
        .onFailure(ctx::fail);
  }

  public void confirm(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    JsonInput in = JsonInput.of(ctx, Set.of("token", "password"));
    String token = in.requiredText("token", 200);
    String password = in.verbatim("password");
    if (password == null || password.length() < UserHandler.MIN_PASSWORD_CHARS
        || password.length() > UserHandler.MAX_PASSWORD_CHARS) {
      throw OtklikException.badRequest("user.password-length", UserHandler.MIN_PASSWORD_CHARS,
          UserHandler.MAX_PASSWORD_CHARS);
    }
    store.userOf(tenantId, token)
        .compose(user -> user.isEmpty() ? Future.failedFuture(OtklikException.badRequest("auth.reset-invalid"))
            : vertx.executeBlocking(() -> hasher.hash(password)))
        .compose(hash -> store.complete(tenantId, token, hash))
        .compose(done -> done.isPresent()
            ? Future.succeededFuture(done.get())
            : Future.<dev.otklik.store.SessionStore.Ended>failedFuture(OtklikException.badRequest("auth.reset-invalid")))
        .onSuccess(ended -> revocations.announce(tenantId, ended.userId(), ended.sessionIds()))
        .onSuccess(ok -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
