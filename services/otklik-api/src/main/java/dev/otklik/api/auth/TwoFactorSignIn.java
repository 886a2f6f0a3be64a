package dev.otklik.api.auth;

import dev.otklik.api.TenantSource;
import dev.otklik.api.auth.SignInChallenges.Challenge;
import dev.otklik.api.auth.SignInChallenges.Purpose;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Base32;
import dev.otklik.core.auth.RecoveryCodes;
import dev.otklik.core.auth.Totp;
import dev.otklik.core.tenant.SignIn;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.store.SignInEventStore.Event;
import dev.otklik.store.SignInEventStore.Kind;
import dev.otklik.store.SignInEventStore.Outcome;
import dev.otklik.store.TwoFactorStore;
import dev.otklik.store.TwoFactorStore.Enrolment;
import dev.otklik.store.TwoFactorStore.NewEnrolment;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-factor sign-in with TOTP (RFC 6238) for accounts with a password, and the checks every
 * two-factor route shares.
 *
 * <p>After the right password ({@link #afterPassword}) a person with an authenticator in force,
 * or whose tenant requires one for their role, gets no tokens: only a
 * {@link SignInChallenges challenge}, good for five minutes. With it they either give a code
 * ({@code POST .../auth/login/two-factor}, {@link #completeLogin}) or, required but not yet
 * enrolled, enrol an authenticator and confirm it with a code ({@code .../auth/two-factor/enrol}
 * and {@code /enrol/confirm}); only then does {@link Sessions} start a session, with amr
 * {@code pwd otp mfa} (TOTP) or {@code pwd mfa} (recovery code). So a person who must use a
 * second factor is never handed an access token without one; the {@link AuthGuard} refuses
 * password-only tokens of such a person too (tokens from before the tenant required it).
 *
 * <p>Codes: each accepted TOTP code spends its time step (one conditional UPDATE), so a code
 * works once; a recovery code works once. Wrong codes count towards the second factor's
 * lock-out ({@link SignInThrottle}); every attempt is in the sign-in log.
 */
public final class TwoFactorSignIn {

  private static final Logger LOG = LoggerFactory.getLogger(TwoFactorSignIn.class);
  public static final List<String> AMR_PASSWORD = List.of("pwd");
  public static final List<String> AMR_TOTP = List.of("pwd", "otp", "mfa");
  public static final List<String> AMR_RECOVERY_CODE = List.of("pwd", "mfa");
  private static final Totp TOTP = Totp.standard();
  private static final int MAX_CODE_CHARS = 64;

  private final Sessions sessions;
  private final UserStore users;
  private final TwoFactorStore store;
  private final SignInThrottle throttle;
  private final SignInChallenges challenges;
  private final TenantSource tenants;
  private final Optional<TwoFactorKeys> keys;
  private final Clock clock;

  public TwoFactorSignIn(Sessions sessions, UserStore users, TwoFactorStore store, SignInThrottle throttle,
      SignInChallenges challenges, TenantSource tenants, Optional<TwoFactorKeys> keys, Clock clock) {
    this.sessions = sessions;
    this.users = users;
    this.store = store;
    this.throttle = throttle;
    this.challenges = challenges;
    this.tenants = tenants;
    this.keys = keys;
    this.clock = clock;
  }

  public TwoFactorStore store() {
    return store;
  }

  public SignInThrottle throttle() {
    return throttle;
  }

  public Sessions sessions() {
    return sessions;
  }

  /** The tenant's {@code sign-in:} section; the default (passwords for all, nothing required) without a typed config. */
  public SignIn signIn(String tenantId) {
    return tenants.tenant(tenantId).map(TenantConfig::signIn).orElse(SignIn.DEFAULT);
  }

  /**
   * The password was right: the answer of {@code auth/login}. Tokens (amr {@code pwd}) when no
   * second factor is in force or required; a challenge otherwise; 403
   * {@code auth.password-disabled} when the tenant turned passwords off for the person's audience.
   * That refusal comes only after the password was checked like any other, so it tells nothing to
   * someone who does not know the password.
   */
  public Future<JsonObject> afterPassword(RoutingContext ctx, UserAccount user) {
    String tenantId = user.tenantId();
    SignIn signIn = signIn(tenantId);
    if (!signIn.passwordAllowed(user.role())) {
      return throttle.record(ctx, tenantId, Kind.PASSWORD, Outcome.REFUSED, "password-disabled", user.id(), user.email())
          .compose(ok -> Future.failedFuture(OtklikException.forbidden("auth.password-disabled")));
    }
    return throttle.record(ctx, tenantId, Kind.PASSWORD, Outcome.SUCCESS, null, user.id(), user.email())
        .compose(ok -> store.find(tenantId, user.id()))
        .compose(enrolment -> {
          if (enrolment.filter(Enrolment::confirmed).isPresent()) {
            return Future.succeededFuture(challenge("required", challenges.issue(tenantId, user.id(), Purpose.TWO_FACTOR)));
          }
          if (signIn.twoFactorRequired(user.role())) {
            return Future.succeededFuture(
                challenge("enrolment-required", challenges.issue(tenantId, user.id(), Purpose.ENROLMENT)));
          }
          return sessions.start(ctx, user, "password", AMR_PASSWORD);
        });
  }

  /**
   * Why a session signed in with {@code amr} may no longer act under the tenant's rules, or null:
   * 403 {@code auth.password-disabled} for a password sign-in of an audience whose passwords are
   * off, 403 {@code auth.two-factor-required} for a password sign-in without a second factor
   * ({@code pwd} without {@code otp} or {@code mfa}) of a role that requires one. Sign-ins without
   * {@code pwd}, and single sign-on ({@code ext}, whose provider may report its own password), are
   * not affected. The guard applies it to every access token, the refresh to every session.
   */
  public static OtklikException refusal(SignIn signIn, dev.otklik.core.auth.Role role, List<String> amr) {
    if (!amr.contains("pwd") || amr.contains("ext")) {
      return null;
    }
    if (!signIn.passwordAllowed(role)) {
      return OtklikException.forbidden("auth.password-disabled");
    }
    boolean secondFactor = amr.contains("otp") || amr.contains("mfa");
    return !secondFactor && signIn.twoFactorRequired(role) ? OtklikException.forbidden("auth.two-factor-required") : null;
  }

  private static JsonObject challenge(String twoFactor, String token) {
    return new JsonObject().put("twoFactor", twoFactor).put("challenge", token)
        .put("expiresIn", SignInChallenges.TTL.toSeconds());
  }

  /**
   * {@code POST .../auth/login/two-factor} {@code {"challenge", "code" | "recoveryCode"}}: the
   * second step. 200 with the tokens (a recovery code's answer also says {@code recoveryCodesLeft}),
   * 401 {@code auth.two-factor-invalid} for a wrong or used code, 401 {@code auth.challenge-invalid},
   * 429 {@code auth.locked}.
   */
  public void completeLogin(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    JsonObject body = body(ctx, Set.of("challenge", "code", "recoveryCode"));
    String code = text(body, "code");
    String recoveryCode = text(body, "recoveryCode");
    if ((code == null) == (recoveryCode == null)) {
      throw OtklikException.badRequest("auth.two-factor-code-required");
    }
    challengedUser(ctx, body, tenantId, Purpose.TWO_FACTOR)
        .compose(user -> {
          if (code != null) {
            return checkCode(ctx, user, code)
                .compose(ok -> sessions.start(ctx, user, "password+totp", AMR_TOTP));
          }
          return checkRecoveryCode(ctx, user, recoveryCode)
              .compose(ok -> sessions.start(ctx, user, "password+recovery-code", AMR_RECOVERY_CODE))
              .compose(tokens -> store.unusedRecoveryCodes(tenantId, user.id())
                  .map(left -> tokens.put("recoveryCodesLeft", left)));
        })
        .onSuccess(tokens -> Sessions.respond(ctx, tokens))
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST .../auth/two-factor/enrol} {@code {"challenge"}} with an enrolment challenge: a new
   * secret, its otpauth URI and QR code (see {@link #startEnrolment}).
   */
  public void enrol(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    JsonObject body = body(ctx, Set.of("challenge"));
    challengedUser(ctx, body, tenantId, Purpose.ENROLMENT)
        .compose(this::startEnrolment)
        .onSuccess(json -> respond(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST .../auth/two-factor/enrol/confirm} {@code {"challenge", "code"}}: puts the
   * authenticator in force and signs the person in: 200 with the tokens and the ten recovery
   * codes ({@code recoveryCodes}, shown this once).
   */
  public void confirmEnrolment(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    JsonObject body = body(ctx, Set.of("challenge", "code"));
    String code = text(body, "code");
    if (code == null) {
      throw OtklikException.badRequest("auth.two-factor-code-required");
    }
    challengedUser(ctx, body, tenantId, Purpose.ENROLMENT)
        .compose(user -> confirmEnrolment(ctx, user, code, user.id())
            .compose(codes -> sessions.start(ctx, user, "password+totp", AMR_TOTP)
                .map(tokens -> tokens.put("recoveryCodes", new JsonArray(codes)))))
        .onSuccess(tokens -> Sessions.respond(ctx, tokens))
        .onFailure(ctx::fail);
  }

  /** The enabled person a valid challenge names, who may still sign in with a password. */
  private Future<UserAccount> challengedUser(RoutingContext ctx, JsonObject body, String tenantId, Purpose purpose) {
    return challenges.verify(text(body, "challenge"), tenantId, purpose)
        .compose((Challenge challenge) -> users.findById(tenantId, challenge.userId()))
        .compose(found -> {
          if (found.isEmpty() || !found.get().enabled() || found.get().passwordHash() == null) {
            return Future.failedFuture(new OtklikException(401, "auth.challenge-invalid"));
          }
          if (!signIn(tenantId).passwordAllowed(found.get().role())) {
            return Future.failedFuture(OtklikException.forbidden("auth.password-disabled"));
          }
          return Future.succeededFuture(found.get());
        });
  }

  /**
   * Starts (or restarts, while unconfirmed) the person's enrolment: {@code secret} (Base32),
   * {@code otpauthUri}, {@code qrSvg} (the URI as an SVG QR code), {@code algorithm},
   * {@code digits}, {@code period}. Nothing is in force until confirmed with a code. 409
   * {@code two-factor.already-enabled} when an authenticator is already in force.
   */
  public Future<JsonObject> startEnrolment(UserAccount user) {
    TwoFactorKeys k = requireKeys();
    byte[] secret = TOTP.newSecret();
    NewEnrolment enrolment = new NewEnrolment(k.seeds().seal(secret, TwoFactorKeys.context(user.tenantId(), user.id())),
        k.seeds().keyId(), TOTP.algorithm().name(), TOTP.digits(), (int) TOTP.period().toSeconds());
    return store.start(user.tenantId(), user.id(), enrolment).compose(started -> {
      if (!started) {
        return Future.failedFuture(new OtklikException(409, "two-factor.already-enabled"));
      }
      String uri = TOTP.uri(issuer(user.tenantId()), user.email(), secret);
      return Future.succeededFuture(new JsonObject()
          .put("secret", Base32.encodeUnpadded(secret))
          .put("otpauthUri", uri)
          .put("qrSvg", QrCodes.svg(uri))
          .put("algorithm", TOTP.algorithm().name())
          .put("digits", TOTP.digits())
          .put("period", TOTP.period().toSeconds()));
    });
  }

  /**
   * Confirms the person's pending enrolment with a code from the app; the ten new recovery codes,
   * in clear this once. Audited as {@code two-factor-enabled} by {@code actorId}.
   */
  public Future<List<String>> confirmEnrolment(RoutingContext ctx, UserAccount user, String code, UUID actorId) {
    String tenantId = user.tenantId();
    return throttle.checkSecondFactor(ctx, tenantId, user.id(), Kind.TOTP, user.email())
        .compose(ok -> store.find(tenantId, user.id()))
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(new OtklikException(409, "two-factor.not-started"));
          }
          if (found.get().confirmed()) {
            return Future.failedFuture(new OtklikException(409, "two-factor.already-enabled"));
          }
          Totp.Check check = TOTP.verify(seed(user, found.get()), code, clock.instant(), found.get().lastStepOrMin());
          if (!check.accepted()) {
            return this.<List<String>>wrongCode(ctx, user, Kind.TOTP,
                check.outcome() == Totp.Outcome.REUSED ? "reused-code" : "wrong-code");
          }
          List<String> codes = RecoveryCodes.generate();
          return store.confirm(tenantId, user.id(), check.step(), hashes(user, codes),
                  new Event(Kind.TWO_FACTOR_ENABLED, Outcome.SUCCESS, null, user.id(), user.email(),
                      SignInThrottle.ip(ctx), actorId))
              .compose(confirmed -> confirmed ? Future.succeededFuture(codes)
                  : this.<List<String>>wrongCode(ctx, user, Kind.TOTP, "reused-code"));
        });
  }

  /**
   * Checks a TOTP code of the person's authenticator in force and spends its time step; records
   * the attempt. Fails with 401 {@code auth.two-factor-invalid} (counted towards the lock-out),
   * 429 {@code auth.locked}, or 409 {@code two-factor.not-enabled}.
   */
  public Future<Long> checkCode(RoutingContext ctx, UserAccount user, String code) {
    String tenantId = user.tenantId();
    return throttle.checkSecondFactor(ctx, tenantId, user.id(), Kind.TOTP, user.email())
        .compose(ok -> store.find(tenantId, user.id()))
        .compose(found -> {
          if (found.filter(Enrolment::confirmed).isEmpty()) {
            return Future.failedFuture(new OtklikException(409, "two-factor.not-enabled"));
          }
          Enrolment enrolment = found.get();
          Totp.Check check = TOTP.verify(seed(user, enrolment), code, clock.instant(), enrolment.lastStepOrMin());
          if (!check.accepted()) {
            return this.<Long>wrongCode(ctx, user, Kind.TOTP,
                check.outcome() == Totp.Outcome.REUSED ? "reused-code" : "wrong-code");
          }
          // Of two requests with the same code, only one spends its step.
          return store.useStep(tenantId, user.id(), check.step())
              .compose(spent -> spent
                  ? throttle.record(ctx, tenantId, Kind.TOTP, Outcome.SUCCESS, null, user.id(), user.email())
                      .map(check.step())
                  : this.<Long>wrongCode(ctx, user, Kind.TOTP, "reused-code"));
        });
  }

  /** As {@link #checkCode} for a recovery code, which is spent. */
  public Future<Void> checkRecoveryCode(RoutingContext ctx, UserAccount user, String code) {
    String tenantId = user.tenantId();
    return throttle.checkSecondFactor(ctx, tenantId, user.id(), Kind.RECOVERY_CODE, user.email())
        .compose(ok -> {
          String hash = requireKeys().recoveryCodes().hash(tenantId, user.id().toString(), code);
          return hash == null ? Future.succeededFuture(false) : store.useRecoveryCode(tenantId, user.id(), hash);
        })
        .compose(spent -> spent
            ? throttle.record(ctx, tenantId, Kind.RECOVERY_CODE, Outcome.SUCCESS, null, user.id(), user.email())
            : this.<Void>wrongCode(ctx, user, Kind.RECOVERY_CODE, "wrong-code"));
  }

  /** Keyed hashes of new recovery codes, as stored. */
  public List<String> hashes(UserAccount user, List<String> codes) {
    RecoveryCodes hasher = requireKeys().recoveryCodes();
    return codes.stream().map(c -> hasher.hash(user.tenantId(), user.id().toString(), c)).toList();
  }

  private <T> Future<T> wrongCode(RoutingContext ctx, UserAccount user, Kind kind, String reason) {
    return throttle.secondFactorFailed(ctx, user.tenantId(), user.id(), kind, user.email(), reason)
        .compose(ok -> Future.failedFuture(new OtklikException(401, "auth.two-factor-invalid")));
  }

  private byte[] seed(UserAccount user, Enrolment enrolment) {
    TwoFactorKeys k = requireKeys();
    try {
      if (!k.seeds().keyId().equals(enrolment.keyId())) {
        throw new IllegalArgumentException("sealed under key " + enrolment.keyId() + ", this node has " + k.seeds().keyId());
      }
      return k.seeds().open(enrolment.secret(), TwoFactorKeys.context(user.tenantId(), user.id()));
    } catch (IllegalArgumentException unreadable) {
      LOG.error("The TOTP seed of {} cannot be opened ({}); a tenant admin's two-factor reset lets them enrol again",
          user, unreadable.getMessage());
      throw new OtklikException(409, "two-factor.unreadable");
    }
  }

  private TwoFactorKeys requireKeys() {
    return keys.orElseThrow(() -> new OtklikException(503, "auth.disabled"));
  }

  /** The name people see in their authenticator app: the desk's name in the tenant's language. */
  private String issuer(String tenantId) {
    return tenants.tenant(tenantId).map(c -> c.identity().name().in(c.defaultLocale())).orElse(tenantId);
  }

  private static JsonObject body(RoutingContext ctx, Set<String> allowed) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException malformed) {
      throw new OtklikException(400, "request.malformed-json");
    }
    if (body == null) {
      throw new OtklikException(400, "request.malformed-json");
    }
    for (String key : body.fieldNames()) {
      if (!allowed.contains(key)) {
        throw OtklikException.badRequest("request.field-unknown", key);
      }
    }
    return body;
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.length() > (field.equals("challenge") ? 4096 : MAX_CODE_CHARS)) {
      throw OtklikException.badRequest("request.field-invalid", field, "text");
    }
    return s.isBlank() ? null : s.strip();
  }

  static void respond(RoutingContext ctx, int status, JsonObject json) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(json.encode());
  }
}
