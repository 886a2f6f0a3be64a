package dev.otklik.store;

import dev.otklik.store.SignInEventStore.Event;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * TOTP enrolments and recovery codes (V018). The store keeps what it is given: the seed arrives
 * sealed ({@code dev.otklik.core.auth.SecretBox}) and recovery codes as keyed hashes
 * ({@code RecoveryCodes}); checking a code is the caller's CPU work. What must be atomic is here:
 * a code's time step is spent with one conditional UPDATE ({@link #useStep}), so the same code
 * accepted twice at once still signs in once, and so is a recovery code ({@link #useRecoveryCode}).
 * Every change to a second factor writes its {@code sign_in_event} in the same transaction.
 */
public final class TwoFactorStore {

  /**
   * A person's enrolment. {@code secret} is sealed; {@code confirmedAt} null means started but
   * not yet proven with a code (not in force); {@code lastUsedStep} null means no code used yet.
   */
  public record Enrolment(UUID userId, byte[] secret, String keyId, String algorithm, int digits, int periodSeconds,
      OffsetDateTime createdAt, OffsetDateTime confirmedAt, Long lastUsedStep) {

    public boolean confirmed() {
      return confirmedAt != null;
    }

    /** For the TOTP check: the last step used, or {@code Long.MIN_VALUE} when none. */
    public long lastStepOrMin() {
      return lastUsedStep == null ? Long.MIN_VALUE : lastUsedStep;
    }

    @Override
    public String toString() {
      return "Enrolment[" + userId + " " + algorithm + "/" + digits + (confirmed() ? " confirmed" : " pending") + "]";
    }
  }

  /** The TOTP parameters and sealed seed of a new enrolment. */
  public record NewEnrolment(byte[] secret, String keyId, String algorithm, int digits, int periodSeconds) {}

  private final TenantTransactions tx;
  private final Clock clock;
  private final SignInEventStore events;
  private final NamedSql sql = NamedSql.load("two_factor");

  public TwoFactorStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = new SignInEventStore(tx, clock);
    for (String name : List.of("find-totp", "start-totp", "confirm-totp", "use-step", "delete-totp",
        "delete-recovery-codes", "insert-recovery-codes", "use-recovery-code", "count-recovery-codes")) {
      sql.get(name);
    }
  }

  public Future<Optional<Enrolment>> find(String tenantId, UUID userId) {
    return tx.inTenant(tenantId, conn -> find(conn, tenantId, userId));
  }

  private Future<Optional<Enrolment>> find(SqlConnection conn, String tenantId, UUID userId) {
    return sql.run(conn, "find-totp", Params.of("tenant_id", tenantId, "user_id", userId))
        .map(rows -> rows.size() == 0 ? Optional.<Enrolment>empty() : Optional.of(enrolment(rows.iterator().next())));
  }

  /**
   * Starts an enrolment, or replaces the seed of one not yet confirmed. False, and nothing
   * changed, when the person already has a confirmed one.
   */
  public Future<Boolean> start(String tenantId, UUID userId, NewEnrolment enrolment) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "start-totp", Params.of("tenant_id", tenantId,
            "user_id", userId, "secret", Buffer.buffer(enrolment.secret()), "key_id", enrolment.keyId(),
            "algorithm", enrolment.algorithm(), "digits", (short) enrolment.digits(),
            "period_seconds", (short) enrolment.periodSeconds(), "now", now()))
        .map(rows -> rows.size() == 1));
  }

  /**
   * Puts a started enrolment in force with the step of the code that proved it, and replaces
   * the recovery codes with {@code codeHashes}; audited as {@code event}. False when there is no
   * pending enrolment or that step was already used.
   */
  public Future<Boolean> confirm(String tenantId, UUID userId, long step, List<String> codeHashes, Event event) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "confirm-totp", Params.of("tenant_id", tenantId,
            "user_id", userId, "step", step, "now", now))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : replaceCodes(conn, tenantId, userId, codeHashes, now)
                .compose(ok -> events.insert(conn, tenantId, event, null, now))
                .map(true)));
  }

  /** Spends time step {@code step} of a confirmed enrolment: true only for a step after the last one used. */
  public Future<Boolean> useStep(String tenantId, UUID userId, long step) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "use-step", Params.of("tenant_id", tenantId,
            "user_id", userId, "step", step))
        .map(rows -> rows.rowCount() == 1));
  }

  /** Spends an unused recovery code of a confirmed enrolment: true once per code. */
  public Future<Boolean> useRecoveryCode(String tenantId, UUID userId, String codeHash) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "use-recovery-code", Params.of("tenant_id", tenantId,
            "user_id", userId, "code_hash", codeHash, "now", now()))
        .map(rows -> rows.rowCount() == 1));
  }

  /**
   * Replaces the recovery codes with {@code codeHashes} (the caller has just checked a current
   * code); audited. False, and nothing changed, when no enrolment is in force.
   */
  public Future<Boolean> renewRecoveryCodes(String tenantId, UUID userId, List<String> codeHashes, Event event) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> find(conn, tenantId, userId)
        .compose(found -> found.filter(Enrolment::confirmed).isEmpty() ? Future.succeededFuture(false)
            : replaceCodes(conn, tenantId, userId, codeHashes, now)
                .compose(ok -> events.insert(conn, tenantId, event, null, now))
                .map(true)));
  }

  /** Unused recovery codes left. */
  public Future<Integer> unusedRecoveryCodes(String tenantId, UUID userId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "count-recovery-codes", Params.of("tenant_id", tenantId,
            "user_id", userId))
        .map(rows -> rows.iterator().next().getLong("unused").intValue()));
  }

  /**
   * Removes the enrolment and its recovery codes, audited as {@code event}; with {@code liftFor}
   * (the person's e-mail) also lifts their lock-outs, as a tenant admin's reset does. The event
   * is written either way; false when there was nothing to remove and nothing to lift.
   */
  public Future<Boolean> remove(String tenantId, UUID userId, Event event, String liftFor) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "delete-totp", Params.of("tenant_id", tenantId,
            "user_id", userId))
        .compose(deleted -> sql.run(conn, "delete-recovery-codes", Params.of("tenant_id", tenantId, "user_id", userId))
            .compose(ok -> liftFor == null ? Future.succeededFuture(0)
                : events.lift(conn, tenantId, userId, liftFor, event.actorId(), now))
            .compose(lifted -> events.insert(conn, tenantId, event, null, now)
                .map(deleted.rowCount() > 0 || lifted > 0))));
  }

  private Future<Void> replaceCodes(SqlConnection conn, String tenantId, UUID userId, List<String> hashes,
      OffsetDateTime now) {
    return sql.run(conn, "delete-recovery-codes", Params.of("tenant_id", tenantId, "user_id", userId))
        .compose(ok -> sql.run(conn, "insert-recovery-codes", Params.of("tenant_id", tenantId, "user_id", userId,
            "code_hashes", hashes.toArray(String[]::new), "now", now)))
        .mapEmpty();
  }

  private static Enrolment enrolment(Row row) {
    return new Enrolment(row.getUUID("user_id"), row.getBuffer("secret").getBytes(), row.getString("key_id"),
        row.getString("algorithm"), row.getShort("digits"), row.getShort("period_seconds"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("confirmed_at"), row.getLong("last_used_step"));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
