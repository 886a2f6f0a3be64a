package dev.otklik.api.auth;

import dev.otklik.core.OtklikException;
import dev.otklik.store.SignInEventStore;
import dev.otklik.store.SignInEventStore.Event;
import dev.otklik.store.SignInEventStore.Kind;
import dev.otklik.store.SignInEventStore.Lock;
import dev.otklik.store.SignInEventStore.Outcome;
import dev.otklik.store.SignInEventStore.Rule;
import dev.otklik.store.SignInEventStore.Scope;
import dev.otklik.store.SignInEventStore.Subject;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throttles guessing at sign-in, counted in PostgreSQL ({@link SignInEventStore}) so the limits
 * hold across the nodes of a cluster and over restarts:
 *
 * <ul>
 *   <li>passwords, per e-mail as typed: {@link Limits#passwordPerAccount} failures within the window
 *       lock password sign-in of that address, whether or not it has an account (so a lock-out
 *       does not tell which addresses exist);
 *   <li>passwords, per client address: {@link Limits#passwordPerIp} failures lock that address out
 *       of password sign-in (spraying one password over many accounts);
 *   <li>second factor, per person: {@link Limits#secondFactor} wrong TOTP or recovery codes lock
 *       the second factor.
 * </ul>
 *
 * A locked attempt is refused before any work with 429 {@code auth.locked} and {@code Retry-After};
 * so is the failure that causes the lock-out. Every attempt and every lock-out is a row of the
 * sign-in log, and each lock-out is also logged here. Lock-outs lapse by themselves; a tenant
 * admin's two-factor reset lifts a person's early.
 */
public final class SignInThrottle {

  private static final Logger LOG = LoggerFactory.getLogger(SignInThrottle.class);

  /**
   * How many failures within {@code window} lock for {@code lockFor}.
   */
  public record Limits(int passwordPerAccount, int passwordPerIp, int secondFactor, Duration window, Duration lockFor) {

    public static final Limits DEFAULTS = new Limits(10, 50, 5, Duration.ofMinutes(15), Duration.ofMinutes(15));
  }

  private final SignInEventStore log;
  private final Limits limits;
  private final Clock clock;

  public SignInThrottle(SignInEventStore log, Limits limits, Clock clock) {
    this.log = log;
    this.limits = limits;
    this.clock = clock;
  }

  public SignInEventStore log() {
    return log;
  }

  /** The caller's address as the throttle and the log know it. */
  public static String ip(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
  }

  /** Succeeds unless password sign-in of {@code email} or from the caller's address is locked (then 429). */
  public Future<Void> checkPassword(RoutingContext ctx, String tenantId, String email) {
    return refuseIfLocked(ctx, tenantId, new Event(Kind.PASSWORD, Outcome.REFUSED, "locked", null, email, ip(ctx), null),
        passwordSubjects(email, ip(ctx)));
  }

  /**
   * Records a wrong password (or an unknown e-mail: {@code userId} null). Succeeds when no lock-out
   * followed; fails with 429 when this failure locked the account or the address.
   */
  public Future<Void> passwordFailed(RoutingContext ctx, String tenantId, String email, UUID userId, String reason) {
    String ip = ip(ctx);
    List<Rule> rules = ip == null
        ? List.of(new Rule(new Subject(Scope.PASSWORD_ACCOUNT, email), userId, limits.passwordPerAccount(),
            limits.window(), limits.lockFor()))
        : List.of(new Rule(new Subject(Scope.PASSWORD_ACCOUNT, email), userId, limits.passwordPerAccount(),
                limits.window(), limits.lockFor()),
            new Rule(new Subject(Scope.PASSWORD_IP, ip), userId, limits.passwordPerIp(), limits.window(), limits.lockFor()));
    return log.failure(tenantId, new Event(Kind.PASSWORD, Outcome.FAILURE, reason, userId, email, ip, null), rules)
        .compose(lock -> lockedOut(ctx, tenantId, lock, userId));
  }

  /** Succeeds unless the person's second factor is locked (then 429). */
  public Future<Void> checkSecondFactor(RoutingContext ctx, String tenantId, UUID userId, Kind kind, String email) {
    return refuseIfLocked(ctx, tenantId, new Event(kind, Outcome.REFUSED, "locked", userId, email, ip(ctx), null),
        List.of(new Subject(Scope.SECOND_FACTOR, userId.toString())));
  }

  /** Records a wrong, reused or malformed code; fails with 429 when it locked the second factor. */
  public Future<Void> secondFactorFailed(RoutingContext ctx, String tenantId, UUID userId, Kind kind, String email,
      String reason) {
    return log.failure(tenantId, new Event(kind, Outcome.FAILURE, reason, userId, email, ip(ctx), null),
            List.of(new Rule(new Subject(Scope.SECOND_FACTOR, userId.toString()), userId, limits.secondFactor(),
                limits.window(), limits.lockFor())))
        .compose(lock -> lockedOut(ctx, tenantId, lock, userId));
  }

  /** Records a success (which clears the account's or the second factor's failure count) or a refusal. */
  public Future<Void> record(RoutingContext ctx, String tenantId, Kind kind, Outcome outcome, String reason,
      UUID userId, String email) {
    return log.record(tenantId, new Event(kind, outcome, reason, userId, email, ip(ctx), null));
  }

  private Future<Void> refuseIfLocked(RoutingContext ctx, String tenantId, Event refusal, List<Subject> subjects) {
    return log.lockInForce(tenantId, subjects).compose(lock -> {
      if (lock.isEmpty()) {
        return Future.succeededFuture();
      }
      return log.record(tenantId, refusal).compose(ok -> Future.failedFuture(locked(ctx, lock.get())));
    });
  }

  private Future<Void> lockedOut(RoutingContext ctx, String tenantId, Optional<Lock> lock, UUID userId) {
    if (lock.isEmpty()) {
      return Future.succeededFuture();
    }
    Lock l = lock.get();
    LOG.warn("Sign-in lock-out in tenant {}: {} {} (user {}, address {}) after {} failures, until {}", tenantId,
        l.scope().code(), l.subject(), userId, ip(ctx), l.failures(), l.until());
    return Future.failedFuture(locked(ctx, l));
  }

  /** 429 {@code auth.locked} with Retry-After in whole seconds (at least 1) and the minutes in the text. */
  private OtklikException locked(RoutingContext ctx, Lock lock) {
    long seconds = Math.max(1, Duration.between(clock.instant(), lock.until().toInstant()).toSeconds() + 1);
    ctx.response().putHeader("Retry-After", Long.toString(seconds));
    return new OtklikException(429, "auth.locked", (seconds + 59) / 60);
  }

  private static List<Subject> passwordSubjects(String email, String ip) {
    return ip == null ? List.of(new Subject(Scope.PASSWORD_ACCOUNT, email))
        : List.of(new Subject(Scope.PASSWORD_ACCOUNT, email), new Subject(Scope.PASSWORD_IP, ip));
  }
}
