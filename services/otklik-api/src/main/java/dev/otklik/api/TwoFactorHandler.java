package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.Permissions;
import dev.otklik.api.auth.TwoFactorSignIn;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.core.auth.RecoveryCodes;
import dev.otklik.core.auth.Role;
import dev.otklik.store.ListQuery;
import dev.otklik.store.SessionStore.Reason;
import dev.otklik.store.SignInEventStore;
import dev.otklik.store.SignInEventStore.Event;
import dev.otklik.store.SignInEventStore.Kind;
import dev.otklik.store.SignInEventStore.Outcome;
import dev.otklik.store.SignInEventStore.SignInEvent;
import dev.otklik.store.TwoFactorStore.Enrolment;
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
 * Two-factor sign-in of the signed-in person, {@code /api/v1/tenants/:tenantId/me/two-factor}:
 * start an enrolment (secret, otpauth URI, QR code), confirm it with a code (the ten recovery
 * codes, shown once), switch it off with the password or a current code (refused while the
 * tenant requires it for the person's role), new recovery codes for a current code. And for
 * tenant admins: the sign-in log ({@code /security/sign-in-events}) and a person's reset
 * ({@code /users/:userId/two-factor/reset}: enrolment and recovery codes removed, lock-outs
 * lifted, sessions ended; the person enrols again at their next sign-in if their role requires
 * it). Each change is in the sign-in log and ends the person's other sessions.
 */
public final class TwoFactorHandler {

  private static final String STATUS = "otklik.two-factor-status";
  private static final int MAX_CODE = 64;

  private final Vertx vertx;
  private final PasswordHasher hasher;
  private final UserStore users;
  private final TwoFactorSignIn twoFactor;

  public TwoFactorHandler(Vertx vertx, PasswordHasher hasher, UserStore users, TwoFactorSignIn twoFactor) {
    this.vertx = vertx;
    this.hasher = hasher;
    this.users = users;
    this.twoFactor = twoFactor;
  }

  /**
   * In front of {@code GET .../me}: puts {@code {enabled, required, pending, recoveryCodesLeft}}
   * where {@link #status} finds it (people only, not API keys).
   */
  public void meStatus(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    if (AuthGuard.apiKey(ctx) != null) {
      ctx.next();
      return;
    }
    boolean required = twoFactor.signIn(caller.tenantId()).twoFactorRequired(caller.role());
    twoFactor.store().find(caller.tenantId(), caller.userId())
        .compose(enrolment -> enrolment.filter(Enrolment::confirmed).isEmpty()
            ? Future.succeededFuture(new JsonObject().put("enabled", false).put("required", required)
                .put("pending", enrolment.isPresent()))
            : twoFactor.store().unusedRecoveryCodes(caller.tenantId(), caller.userId())
                .map(left -> new JsonObject().put("enabled", true).put("required", required).put("pending", false)
                    .put("recoveryCodesLeft", left)))
        .onSuccess(status -> {
          ctx.put(STATUS, status);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  /** What {@link #meStatus} found for this request, or null. */
  static JsonObject status(RoutingContext ctx) {
    return ctx.get(STATUS);
  }

  /** {@code POST .../me/two-factor} (no body): a new secret to scan; 409 when one is in force or the account has no password. */
  public void start(RoutingContext ctx) {
    person(ctx)
        .compose(twoFactor::startEnrolment)
        .onSuccess(json -> noStore(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /** {@code POST .../me/two-factor/confirm} {@code {"code"}}: in force; the recovery codes, once. */
  public void confirm(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    String code = JsonInput.of(ctx, Set.of("code")).requiredText("code", MAX_CODE);
    person(ctx)
        .compose(user -> twoFactor.confirmEnrolment(ctx, user, code, user.id()))
        .compose(codes -> endOtherSessions(caller).map(codes))
        .onSuccess(codes -> noStore(ctx, 200, new JsonObject().put("enabled", true)
            .put("recoveryCodes", new JsonArray(codes))))
        .onFailure(failure -> ctx.fail(asProofProblem(failure)));
  }

  /**
   * {@code DELETE .../me/two-factor} {@code {"password"} | {"code"}}: switches it off. 403
   * {@code two-factor.required} while the tenant requires it for the role; 403
   * {@code two-factor.proof-invalid} for a wrong password or code (counted like sign-in failures).
   */
  public void disable(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("password", "code"));
    String password = in.verbatim("password");
    String code = in.text("code", MAX_CODE);
    if ((password == null || password.isEmpty()) == (code == null)) {
      throw OtklikException.badRequest("two-factor.proof-required");
    }
    if (password != null && password.length() > UserHandler.MAX_PASSWORD_CHARS) {
      throw OtklikException.forbidden("two-factor.proof-invalid");
    }
    person(ctx)
        .compose(user -> {
          if (twoFactor.signIn(user.tenantId()).twoFactorRequired(user.role())) {
            return Future.failedFuture(OtklikException.forbidden("two-factor.required"));
          }
          return twoFactor.store().find(user.tenantId(), user.id()).compose(enrolment -> {
            if (enrolment.isEmpty()) {
              return Future.failedFuture(new OtklikException(409, "two-factor.not-enabled"));
            }
            Future<?> proof = !enrolment.get().confirmed() ? Future.succeededFuture()
                : code != null ? twoFactor.checkCode(ctx, user, code) : checkPassword(ctx, user, password);
            return proof.compose(ok -> twoFactor.store().remove(user.tenantId(), user.id(),
                new Event(Kind.TWO_FACTOR_DISABLED, Outcome.SUCCESS, null, user.id(), user.email(), ip(ctx), user.id()),
                null));
          });
        })
        .compose(ok -> endOtherSessions(caller))
        .onSuccess(ok -> ctx.response().setStatusCode(204).end())
        .onFailure(failure -> ctx.fail(asProofProblem(failure)));
  }

  /** {@code POST .../me/two-factor/recovery-codes} {@code {"code"}}: ten new codes; the old ones stop working. */
  public void renewRecoveryCodes(RoutingContext ctx) {
    String code = JsonInput.of(ctx, Set.of("code")).requiredText("code", MAX_CODE);
    person(ctx)
        .compose(user -> twoFactor.checkCode(ctx, user, code).compose(step -> {
          List<String> codes = RecoveryCodes.generate();
          return twoFactor.store().renewRecoveryCodes(user.tenantId(), user.id(), twoFactor.hashes(user, codes),
                  new Event(Kind.RECOVERY_CODES_RENEWED, Outcome.SUCCESS, null, user.id(), user.email(), ip(ctx),
                      user.id()))
              .compose(renewed -> renewed ? Future.succeededFuture(codes)
                  : Future.<List<String>>failedFuture(new OtklikException(409, "two-factor.not-enabled")));
        }))
        .onSuccess(codes -> noStore(ctx, 200, new JsonObject().put("recoveryCodes", new JsonArray(codes))))
        .onFailure(failure -> ctx.fail(asProofProblem(failure)));
  }

  /**
   * {@code GET .../security/sign-in-events?userId=&kind=&outcome=&q=&offset=&limit=&sort=}: the
   * sign-in log, newest first (tenant admins).
   */
  public void events(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    String user = ctx.queryParams().get("userId");
    String kind = ctx.queryParams().get("kind");
    String outcome = ctx.queryParams().get("outcome");
    SignInEventStore.Filter filter = new SignInEventStore.Filter(
        user == null ? null : JsonInput.id(user, "userId"),
        kind == null ? null : JsonInput.oneOf("kind", kind, Kind.values(), Kind::code),
        outcome == null ? null : JsonInput.oneOf("outcome", outcome, Outcome.values(), Outcome::code));
    ListQuery query = OrganisationHandler.listQuery(ctx);
    twoFactor.throttle().log().list(caller.tenantId(), filter, query)
        .onSuccess(page -> HealthHandler.json(ctx, 200, OrganisationHandler.pageJson(query, page, TwoFactorHandler::json)))
        .onFailure(ctx::fail);
  }

  /** {@code POST .../users/:userId/two-factor/reset}: tenant admins; 204, audited. */
  public void reset(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    UUID id = JsonInput.pathId(ctx, "userId", "user.not-found");
    users.findById(caller.tenantId(), id)
        .compose(user -> user.isEmpty() ? Future.<UserAccount>failedFuture(OtklikException.notFound("user.not-found", id))
            : Future.succeededFuture(user.get()))
        .compose(user -> twoFactor.store().remove(caller.tenantId(), id,
                new Event(Kind.TWO_FACTOR_RESET, Outcome.SUCCESS, null, id, user.email(), ip(ctx), caller.userId()),
                user.email())
            .compose(ok -> twoFactor.sessions().revoke(caller.tenantId(), id, null, null, Reason.TWO_FACTOR_CHANGED)))
        .onSuccess(ok -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** The signed-in person (not an API key), enabled and able to sign in with a password. */
  private Future<UserAccount> person(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    if (AuthGuard.apiKey(ctx) != null) {
      return Future.failedFuture(OtklikException.forbidden("auth.forbidden"));
    }
    return users.findById(caller.tenantId(), caller.userId()).compose(user -> {
      if (user.isEmpty() || !user.get().enabled()) {
        return Future.failedFuture(new OtklikException(401, "auth.account-disabled"));
      }
      if (user.get().passwordHash() == null) {
        return Future.failedFuture(new OtklikException(409, "two-factor.no-password"));
      }
      return Future.succeededFuture(user.get());
    });
  }

  private Future<Void> checkPassword(RoutingContext ctx, UserAccount user, String password) {
    return twoFactor.throttle().checkPassword(ctx, user.tenantId(), user.email())
        .compose(ok -> vertx.executeBlocking(() -> hasher.verify(password, user.passwordHash())))
        .compose(matches -> matches ? Future.<Void>succeededFuture()
            : twoFactor.throttle().passwordFailed(ctx, user.tenantId(), user.email(), user.id(), "wrong-password")
                .compose(ok -> Future.<Void>failedFuture(OtklikException.forbidden("two-factor.proof-invalid"))));
  }

  /** Ends the caller's other sessions after a change to their second factor. */
  private Future<?> endOtherSessions(AccessClaims caller) {
    return twoFactor.sessions().revoke(caller.tenantId(), caller.userId(), null, caller.sessionId(),
        Reason.TWO_FACTOR_CHANGED);
  }

  /**
   * A wrong code of a signed-in person is 403 {@code two-factor.proof-invalid}, not sign-in's 401:
   * a 401 would read as "your session is over" to a client.
   */
  private static Throwable asProofProblem(Throwable failure) {
    return failure instanceof OtklikException e && e.code().equals("auth.two-factor-invalid")
        ? OtklikException.forbidden("two-factor.proof-invalid") : failure;
  }

  private static String ip(RoutingContext ctx) {
    return dev.otklik.api.auth.SignInThrottle.ip(ctx);
  }

  private static void noStore(RoutingContext ctx, int status, JsonObject json) {
    ctx.response().putHeader("Cache-Control", "no-store");
    HealthHandler.json(ctx, status, json);
  }

  static JsonObject json(SignInEvent e) {
    return new JsonObject()
        .put("id", e.id().toString())
        .put("at", e.at().toInstant().toString())
        .put("kind", e.kind().code())
        .put("outcome", e.outcome().code())
        .put("reason", e.reason())
        .put("userId", e.userId() == null ? null : e.userId().toString())
        .put("userEmail", e.userEmail())
        .put("email", e.email())
        .put("ip", e.ip())
        .put("actorId", e.actorId() == null ? null : e.actorId().toString())
        .put("lockedUntil", e.lockedUntil() == null ? null : e.lockedUntil().toInstant().toString());
  }
}
