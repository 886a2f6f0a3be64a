package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The sign-in log (V018 {@code sign_in_event}) and the lock-outs it leads to
 * ({@code sign_in_lockout}). Every password, TOTP and recovery-code attempt is a row, and so is
 * every change to a person's second factor; tenant admins read them as the audit. Throttling
 * counts recent failures here, so the count is the cluster's and survives a restart:
 * {@link #failure} records one and, when a {@link Rule}'s limit is reached, locks its subject in
 * the same transaction (with a {@code locked-out} event). {@link #lockInForce} is what a sign-in
 * looks up first. Failures of one subject are serialised with a transaction-level advisory lock,
 * so concurrent attempts on two nodes cannot both slip under the limit.
 */
public final class SignInEventStore {

  /** What was attempted or changed. */
  public enum Kind {
    PASSWORD, TOTP, RECOVERY_CODE, TWO_FACTOR_ENABLED, TWO_FACTOR_DISABLED, TWO_FACTOR_RESET, RECOVERY_CODES_RENEWED;

    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Kind ofCode(String code) {
      return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** How it ended. {@code REFUSED}: not checked at all (locked, or not allowed). */
  public enum Outcome {
    SUCCESS, FAILURE, REFUSED, LOCKED_OUT;

    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Outcome ofCode(String code) {
      return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** What a lock-out locks: the password of an e-mail as typed, an address, or a person's second factor. */
  public enum Scope {
    PASSWORD_ACCOUNT, PASSWORD_IP, SECOND_FACTOR;

    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Scope ofCode(String code) {
      return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** One thing that can be locked: the lower-case e-mail, the address, or the user id as text. */
  public record Subject(Scope scope, String value) {

    public Subject {
      Objects.requireNonNull(scope, "scope");
      value = scope == Scope.PASSWORD_ACCOUNT ? normalisedEmail(value) : value;
    }

    String key() {
      return scope.code() + ":" + value;
    }
  }

  /**
   * An event to write. {@code email} is the address as typed (stored lower case), {@code reason}
   * a short code for failures and refusals, {@code actorId} who made a change (an admin's reset).
   */
  public record Event(Kind kind, Outcome outcome, String reason, UUID userId, String email, String ip, UUID actorId) {

    public Event {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(outcome, "outcome");
      email = normalisedEmail(email);
      ip = ip == null || ip.length() <= 64 ? ip : ip.substring(0, 64);
    }
  }

  /** {@code maxFailures} failures of {@code subject} within {@code window} lock it for {@code lockFor}. */
  public record Rule(Subject subject, UUID userId, int maxFailures, Duration window, Duration lockFor) {}

  /** A lock-out in force; {@code failures} is how many failures caused it (0 when only looked up). */
  public record Lock(Scope scope, String subject, OffsetDateTime until, int failures) {}

  /** A row of the log, for the audit list; {@code userEmail} is the account's current address. */
  public record SignInEvent(UUID id, OffsetDateTime at, Kind kind, Outcome outcome, String reason, UUID userId,
      String userEmail, String email, String ip, UUID actorId, OffsetDateTime lockedUntil) {}

  /** Narrows the audit list; null does not filter. {@code userId} matches the subject or the actor. */
  public record Filter(UUID userId, Kind kind, Outcome outcome) {}

  public static final Set<String> SORT_FIELDS = Set.of("at");

  private final TenantTransactions tx;
  private final Clock clock;
  private final NamedSql sql = NamedSql.load("sign_in_event");

  public SignInEventStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    for (String name : List.of("insert-event", "lock-subject", "lock-in-force", "count-failures", "insert-lockout",
        "lift-lockouts", "list-events")) {
      sql.get(name);
    }
  }

  /** The lock-out in force on any of {@code subjects} that lasts longest; empty when none is. */
  public Future<Optional<Lock>> lockInForce(String tenantId, Collection<Subject> subjects) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "lock-in-force", Params.of("tenant_id", tenantId,
            "keys", subjects.stream().map(Subject::key).toArray(String[]::new), "now", now))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.<Lock>empty();
          }
          Row row = rows.iterator().next();
          return Optional.of(new Lock(Scope.ofCode(row.getString("scope")), row.getString("subject"),
              row.getOffsetDateTime("locked_until"), 0));
        }));
  }

  /**
   * Records a failed attempt and applies {@code rules}: a subject whose failures (this one
   * included) reach the rule's limit is locked, with a {@code locked-out} event. The longest
   * lock-out this caused, if any.
   */
  public Future<Optional<Lock>> failure(String tenantId, Event event, List<Rule> rules) {
    OffsetDateTime now = now();
    List<Rule> ordered = rules.stream().sorted(Comparator.comparing(r -> r.subject().key())).toList();
    return tx.inTenant(tenantId, conn -> {
      Future<?> locked = Future.succeededFuture();
      for (Rule rule : ordered) {
        locked = locked.compose(ok -> sql.run(conn, "lock-subject", Params.of("key", tenantId + "/" + rule.subject().key())));
      }
      Future<Optional<Lock>> result = locked.compose(ok -> insert(conn, tenantId, event, null, now))
          .map(ok -> Optional.<Lock>empty());
      for (Rule rule : ordered) {
        result = result.compose(longest -> apply(conn, tenantId, event, rule, now)
            .map(lock -> lock.isPresent() && (longest.isEmpty() || lock.get().until().isAfter(longest.get().until()))
                ? lock : longest));
      }
      return result;
    });
  }

  private Future<Optional<Lock>> apply(SqlConnection conn, String tenantId, Event event, Rule rule, OffsetDateTime now) {
    Subject subject = rule.subject();
    return sql.run(conn, "lock-in-force", Params.of("tenant_id", tenantId, "keys", new String[] {subject.key()},
            "now", now))
        .compose(inForce -> inForce.size() > 0 ? Future.succeededFuture(-1L)
            : sql.run(conn, "count-failures", Params.of("tenant_id", tenantId, "scope", subject.scope().code(),
                    "subject", subject.value(), "user_id", rule.userId(), "since", now.minus(rule.window())))
                .map(rows -> rows.iterator().next().getLong("n")))
        .compose(failures -> {
          if (failures < rule.maxFailures()) {
            return Future.succeededFuture(Optional.<Lock>empty());
          }
          OffsetDateTime until = now.plus(rule.lockFor());
          return sql.run(conn, "insert-lockout", Params.of("tenant_id", tenantId, "id", UUID.randomUUID(),
                  "scope", subject.scope().code(), "subject", subject.value(), "user_id", rule.userId(),
                  "failures", failures.intValue(), "now", now, "locked_until", until))
              .compose(ok -> insert(conn, tenantId, new Event(event.kind(), Outcome.LOCKED_OUT, subject.scope().code(),
                  event.userId(), event.email(), event.ip(), null), until, now))
              .map(ok -> Optional.of(new Lock(subject.scope(), subject.value(), until, failures.intValue())));
        });
  }

  /** Records a success, a refusal or a change. */
  public Future<Void> record(String tenantId, Event event) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> insert(conn, tenantId, event, null, now));
  }

  /** Records {@code event} inside a transaction already open on {@code conn} (a change and its audit commit together). */
  Future<Void> insert(SqlConnection conn, String tenantId, Event event, OffsetDateTime lockedUntil, OffsetDateTime at) {
    return sql.run(conn, "insert-event", Params.of("tenant_id", tenantId, "id", UUID.randomUUID(), "at", at,
            "kind", event.kind().code(), "outcome", event.outcome().code(), "reason", event.reason(),
            "user_id", event.userId(), "email", event.email(), "ip", event.ip(), "actor_id", event.actorId(),
            "locked_until", lockedUntil))
        .mapEmpty();
  }

  /** Lifts the person's lock-outs in force (second factor, and the password of {@code email}); how many. */
  Future<Integer> lift(SqlConnection conn, String tenantId, UUID userId, String email, UUID actorId, OffsetDateTime now) {
    return sql.run(conn, "lift-lockouts", Params.of("tenant_id", tenantId, "user_id", userId, "email", normalisedEmail(email),
            "actor_id", actorId, "now", now))
        .map(rows -> rows.rowCount());
  }

  /** A page of the log, newest first unless {@code sort=at}. */
  public Future<Page<SignInEvent>> list(String tenantId, Filter filter, ListQuery query) {
    return Page.list(tx, tenantId, sql.get("list-events"), Params.of(
            "user_id", filter.userId(),
            "kind", filter.kind() == null ? null : filter.kind().code(),
            "outcome", filter.outcome() == null ? null : filter.outcome().code()),
        query, SORT_FIELDS, "-at", row -> new SignInEvent(row.getUUID("id"), row.getOffsetDateTime("at"),
            Kind.ofCode(row.getString("kind")), Outcome.ofCode(row.getString("outcome")), row.getString("reason"),
            row.getUUID("user_id"), row.getString("user_email"), row.getString("email"), row.getString("ip"),
            row.getUUID("actor_id"), row.getOffsetDateTime("locked_until")));
  }

  /** An e-mail as the log keeps it: stripped, lower case, at most 320 characters. */
  static String normalisedEmail(String email) {
    if (email == null) {
      return null;
    }
    String clean = email.strip().toLowerCase(Locale.ROOT);
    return clean.length() <= 320 ? clean : clean.substring(0, 320);
  }

  OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
