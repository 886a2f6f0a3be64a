package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.RefreshTokenStore.IssuedToken;
import dev.otklik.store.RefreshTokenStore.Refusal;
import dev.otklik.store.RefreshTokenStore.Rotation;
import dev.otklik.store.UserStore.NewUser;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RefreshTokenStoreTest {

  private static final TenantTransactions tx = TestDatabase.transactions();

  private static final Duration TTL = Duration.ofDays(14);

  private static UserStore users;

  private final TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
  private final RefreshTokenStore tokens = new RefreshTokenStore(tx, clock, TTL);

  @BeforeAll
  static void start() {
    users = new UserStore(tx);
  }

  private static UUID agentIn(String tenant) {
    return users.create(tenant, new NewUser("agent-" + UUID.randomUUID() + "@v.ru", "Агент", "ru", null, Role.AGENT, null))
        .await().id();
  }

  private IssuedToken rotated(String tenant, String token) {
    Rotation rotation = tokens.rotate(tenant, token).await();
    assertThat(rotation).isInstanceOf(Rotation.Rotated.class);
    return ((Rotation.Rotated) rotation).next();
  }

  private Refusal refusal(String tenant, String token) {
    Rotation rotation = tokens.rotate(tenant, token).await();
    assertThat(rotation).isInstanceOf(Rotation.Refused.class);
    return ((Rotation.Refused) rotation).reason();
  }

  /** One stored row as the superuser sees it. */
  private record StoredToken(String tokenHash, Instant expiresAt, Instant revokedAt, UUID replacedBy, UUID familyId) {}

  private static StoredToken stored(UUID id) throws Exception {
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement q = c.prepareStatement(
            "SELECT token_hash, expires_at, revoked_at, replaced_by, family_id FROM refresh_token WHERE id = ?")) {
      q.setObject(1, id);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).as("row " + id).isTrue();
        java.sql.Timestamp revoked = rs.getTimestamp(3);
        return new StoredToken(rs.getString(1), rs.getTimestamp(2).toInstant(),
            revoked == null ? null : revoked.toInstant(), rs.getObject(4, UUID.class), rs.getObject(5, UUID.class));
      }
    }
  }

  @Test
  @DisplayName("rotation spends the old token, links it to the next one, and only a hash of either is stored")
  void rotationLinksAndStoresOnlyHashes() throws Exception {
    String tenant = TestTenants.create(tx);
    IssuedToken first = tokens.issue(tenant, agentIn(tenant)).await();
    clock.advance(Duration.ofHours(1));
    IssuedToken second = rotated(tenant, first.token());
    IssuedToken third = rotated(tenant, second.token());

    StoredToken firstRow = stored(first.id());
    StoredToken secondRow = stored(second.id());
    assertThat(firstRow.tokenHash()).isEqualTo(RefreshTokenStore.hash(first.token())).isNotEqualTo(first.token());
    assertThat(firstRow.replacedBy()).isEqualTo(second.id());
    assertThat(firstRow.revokedAt()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
    assertThat(secondRow.replacedBy()).isEqualTo(third.id());
    assertThat(stored(third.id()).revokedAt()).isNull();
    assertThat(List.of(firstRow.familyId(), secondRow.familyId(), third.familyId())).containsOnly(first.id());
    assertThat(second.expiresAt().toInstant()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z").plus(TTL));
    assertThat(third.userId()).isEqualTo(first.userId());
  }

  @Test
  @DisplayName("presenting a spent token again revokes its whole family, so the thief's newer token dies too")
  void reuseRevokesTheWholeFamily() throws Exception {
    String tenant = TestTenants.create(tx);
    UUID user = agentIn(tenant);
    IssuedToken first = tokens.issue(tenant, user).await();
    IssuedToken second = rotated(tenant, first.token());
    IssuedToken otherSession = tokens.issue(tenant, user).await();

    assertThat(refusal(tenant, first.token())).isEqualTo(Refusal.REUSED);
    assertThat(refusal(tenant, second.token())).isEqualTo(Refusal.REVOKED);
    assertThat(stored(second.id()).revokedAt()).isNotNull();
    assertThat(stored(otherSession.id()).revokedAt()).as("another login of the same user is untouched").isNull();
    assertThat(rotated(tenant, otherSession.token()).familyId()).isEqualTo(otherSession.id());
  }

  @Test
  @DisplayName("two refreshes racing with the same token: one gets the next token, the other is caught as reuse")
  void concurrentRotationIsCaughtAsReuse() throws Exception {
    String tenant = TestTenants.create(tx);
    IssuedToken first = tokens.issue(tenant, agentIn(tenant)).await();

    List<Future<Rotation>> racing = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      racing.add(tokens.rotate(tenant, first.token()));
    }
    Future.all(racing).await();

    List<Rotation> outcomes = racing.stream().map(Future::result).toList();
    assertThat(outcomes).filteredOn(r -> r instanceof Rotation.Rotated).hasSize(1);
    assertThat(outcomes).contains(new Rotation.Refused(Refusal.REUSED, first.familyId()));
    IssuedToken winner = outcomes.stream().filter(r -> r instanceof Rotation.Rotated)
        .map(r -> ((Rotation.Rotated) r).next()).findFirst().orElseThrow();
    assertThat(stored(winner.id()).revokedAt()).isNotNull();
  }

  @Test
  @DisplayName("a token past its lifetime is refused as expired and not rotated")
  void expiredTokenIsRefused() throws Exception {
    String tenant = TestTenants.create(tx);
    IssuedToken first = tokens.issue(tenant, agentIn(tenant)).await();
    clock.advance(TTL);

    assertThat(refusal(tenant, first.token())).isEqualTo(Refusal.EXPIRED);
    assertThat(stored(first.id()).replacedBy()).isNull();
  }

  @Test
  @DisplayName("revoking all of a user's tokens ends every session of that user and no one else's")
  void revokeAllForUser() {
    String tenant = TestTenants.create(tx);
    UUID user = agentIn(tenant);
    IssuedToken laptop = tokens.issue(tenant, user).await();
    IssuedToken phone = rotated(tenant, tokens.issue(tenant, user).await().token());
    IssuedToken colleague = tokens.issue(tenant, agentIn(tenant)).await();

    assertThat(tokens.revokeAllForUser(tenant, user).await()).isEqualTo(2);
    assertThat(refusal(tenant, laptop.token())).isEqualTo(Refusal.REVOKED);
    assertThat(refusal(tenant, phone.token())).isEqualTo(Refusal.REVOKED);
    rotated(tenant, colleague.token());
  }

  @Test
  @DisplayName("a token is unknown in any other tenant and unknown strings are refused without effect")
  void otherTenantAndUnknownTokens() {
    String a = TestTenants.create(tx);
    String b = TestTenants.create(tx);
    IssuedToken token = tokens.issue(a, agentIn(a)).await();

    assertThat(refusal(b, token.token())).isEqualTo(Refusal.UNKNOWN);
    assertThat(refusal(a, "not-a-token")).isEqualTo(Refusal.UNKNOWN);
    rotated(a, token.token());
  }
}
