package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.SignInEventStore.Event;
import dev.otklik.store.SignInEventStore.Kind;
import dev.otklik.store.SignInEventStore.Lock;
import dev.otklik.store.SignInEventStore.Outcome;
import dev.otklik.store.SignInEventStore.Rule;
import dev.otklik.store.SignInEventStore.Scope;
import dev.otklik.store.SignInEventStore.Subject;
import dev.otklik.store.TwoFactorStore.NewEnrolment;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** TOTP enrolments, recovery codes and the sign-in log with its lock-outs, on the real PostgreSQL. */
class TwoFactorStoreTest {

  private static final TenantTransactions tx = TestDatabase.transactions();

  private final TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
  private final TwoFactorStore store = new TwoFactorStore(tx, clock);
  private final SignInEventStore log = new SignInEventStore(tx, clock);

  private static final NewEnrolment SEALED = new NewEnrolment(new byte[48], "k1", "SHA1", 6, 30);

  private static Event event(Kind kind, Outcome outcome, UserAccount user) {
    return new Event(kind, outcome, null, user.id(), user.email(), "10.0.0.1", null);
  }

  @Test
  @DisplayName("an enrolment is pending until confirmed, then a step is spent once and never again, nor an earlier one")
  void enrolConfirmAndSpendSteps() {
    String tenant = TestTenants.create(tx);
    UserAccount user = TestPeople.user(tx, tenant, Role.AGENT, null);

    assertThat(store.start(tenant, user.id(), SEALED).await()).isTrue();
    assertThat(store.find(tenant, user.id()).await().orElseThrow().confirmed()).isFalse();
    assertThat(store.useStep(tenant, user.id(), 100).await()).as("pending: no sign-in with it").isFalse();
    assertThat(store.confirm(tenant, user.id(), 100, List.of("a".repeat(64), "b".repeat(64)),
        event(Kind.TWO_FACTOR_ENABLED, Outcome.SUCCESS, user)).await()).isTrue();

    TwoFactorStore.Enrolment enrolment = store.find(tenant, user.id()).await().orElseThrow();
    assertThat(enrolment.confirmed()).isTrue();
    assertThat(enrolment.lastUsedStep()).isEqualTo(100L);
    assertThat(enrolment.secret()).hasSize(48);
    assertThat(store.start(tenant, user.id(), SEALED).await()).as("a confirmed one is not replaced").isFalse();
    assertThat(store.useStep(tenant, user.id(), 100).await()).as("the confirming code again").isFalse();
    assertThat(store.useStep(tenant, user.id(), 99).await()).isFalse();
    assertThat(store.useStep(tenant, user.id(), 101).await()).isTrue();
    assertThat(store.useStep(tenant, user.id(), 101).await()).isFalse();
  }

  @Test
  @DisplayName("of ten concurrent uses of one step exactly one succeeds")
  void concurrentUseOfOneStep() {
    String tenant = TestTenants.create(tx);
    UserAccount user = TestPeople.user(tx, tenant, Role.AGENT, null);
    store.start(tenant, user.id(), SEALED).await();
    store.confirm(tenant, user.id(), 1, List.of(), event(Kind.TWO_FACTOR_ENABLED, Outcome.SUCCESS, user)).await();

    List<Future<Boolean>> uses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      uses.add(store.useStep(tenant, user.id(), 2));
    }
    Future.join(uses).await();
    assertThat(uses.stream().filter(Future::result).count()).isEqualTo(1);
  }

  @Test
  @DisplayName("a recovery code works once, only for its own account, and renewal replaces the whole set")
  void recoveryCodes() {
    String tenant = TestTenants.create(tx);
    UserAccount user = TestPeople.user(tx, tenant, Role.AGENT, null);
    UserAccount other = TestPeople.user(tx, tenant, Role.AGENT, null);
    String a = "a".repeat(64);
    store.start(tenant, user.id(), SEALED).await();
    store.confirm(tenant, user.id(), 1, List.of(a, "b".repeat(64)), event(Kind.TWO_FACTOR_ENABLED, Outcome.SUCCESS, user))
        .await();

    assertThat(store.useRecoveryCode(tenant, other.id(), a).await()).isFalse();
    assertThat(store.useRecoveryCode(tenant, user.id(), a).await()).isTrue();
    assertThat(store.useRecoveryCode(tenant, user.id(), a).await()).isFalse();
    assertThat(store.unusedRecoveryCodes(tenant, user.id()).await()).isEqualTo(1);

    assertThat(store.renewRecoveryCodes(tenant, other.id(), List.of("c".repeat(64)),
        event(Kind.RECOVERY_CODES_RENEWED, Outcome.SUCCESS, other)).await()).as("no enrolment in force").isFalse();
    assertThat(store.renewRecoveryCodes(tenant, user.id(), List.of("c".repeat(64)),
        event(Kind.RECOVERY_CODES_RENEWED, Outcome.SUCCESS, user)).await()).isTrue();
    assertThat(store.useRecoveryCode(tenant, user.id(), "b".repeat(64)).await()).as("old set gone").isFalse();
    assertThat(store.useRecoveryCode(tenant, user.id(), "c".repeat(64)).await()).isTrue();
  }

  @Test
  @DisplayName("five failures within the window lock the second factor, audited; an admin's reset lifts it and removes the enrolment")
  void lockOutAndReset() {
    String tenant = TestTenants.create(tx);
    UserAccount user = TestPeople.user(tx, tenant, Role.AGENT, null);
    UserAccount admin = TestPeople.user(tx, tenant, Role.TENANT_ADMIN, null);
    store.start(tenant, user.id(), SEALED).await();
    store.confirm(tenant, user.id(), 1, List.of(), event(Kind.TWO_FACTOR_ENABLED, Outcome.SUCCESS, user)).await();
    Subject subject = new Subject(Scope.SECOND_FACTOR, user.id().toString());
    Rule rule = new Rule(subject, user.id(), 5, Duration.ofMinutes(15), Duration.ofMinutes(15));
    Event failure = new Event(Kind.TOTP, Outcome.FAILURE, "wrong-code", user.id(), null, "10.0.0.1", null);

    for (int i = 0; i < 4; i++) {
      assertThat(log.failure(tenant, failure, List.of(rule)).await()).isEmpty();
      clock.advance(Duration.ofMinutes(1));
    }
    Optional<Lock> lock = log.failure(tenant, failure, List.of(rule)).await();

    assertThat(lock).isPresent();
    assertThat(lock.get().failures()).isEqualTo(5);
    assertThat(lock.get().until().toInstant()).isEqualTo(Instant.parse("2026-03-02T09:19:00Z"));
    assertThat(log.lockInForce(tenant, List.of(subject)).await()).isPresent();
    assertThat(log.list(tenant, new SignInEventStore.Filter(user.id(), null, Outcome.LOCKED_OUT),
        new ListQuery(0, 10, null, null)).await().items())
        .singleElement().satisfies(e -> {
          assertThat(e.kind()).isEqualTo(Kind.TOTP);
          assertThat(e.reason()).isEqualTo("second-factor");
          assertThat(e.lockedUntil()).isEqualTo(lock.get().until());
        });

    assertThat(store.remove(tenant, user.id(), new Event(Kind.TWO_FACTOR_RESET, Outcome.SUCCESS, null, user.id(), null,
        null, admin.id()), user.email()).await()).isTrue();
    assertThat(log.lockInForce(tenant, List.of(subject)).await()).isEmpty();
    assertThat(store.find(tenant, user.id()).await()).isEmpty();
    assertThat(log.failure(tenant, failure, List.of(rule)).await()).as("the count starts again after a reset").isEmpty();
  }

  @Test
  @DisplayName("the count is per window: failures spread wider than it never lock, and a lock lapses by itself")
  void windowAndLapse() {
    String tenant = TestTenants.create(tx);
    Subject subject = new Subject(Scope.PASSWORD_ACCOUNT, "Who@Example.RU");
    Rule rule = new Rule(subject, null, 3, Duration.ofMinutes(15), Duration.ofMinutes(15));
    Event failure = new Event(Kind.PASSWORD, Outcome.FAILURE, "wrong-password", null, "WHO@example.ru", "10.0.0.2", null);

    for (int i = 0; i < 6; i++) {
      assertThat(log.failure(tenant, failure, List.of(rule)).await()).isEmpty();
      clock.advance(Duration.ofMinutes(8));
    }
    log.failure(tenant, failure, List.of(rule)).await();
    clock.advance(Duration.ofMinutes(1));
    assertThat(log.failure(tenant, failure, List.of(rule)).await()).isPresent();
    assertThat(log.lockInForce(tenant, List.of(new Subject(Scope.PASSWORD_ACCOUNT, "who@example.ru"))).await()).isPresent();
    clock.advance(Duration.ofMinutes(16));
    assertThat(log.lockInForce(tenant, List.of(subject)).await()).isEmpty();
    assertThat(log.failure(tenant, failure, List.of(rule)).await())
        .as("failures before the lock-out were paid for").isEmpty();
  }
}
