package dev.otklik.store;

import static dev.otklik.store.TestFutures.problemOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiKeyStoreTest {

  private static final TenantTransactions tx = TestDatabase.transactions();
  private static final TestClock clock = new TestClock(Instant.parse("2025-03-01T09:00:00Z"));
  private static final ApiKeyStore keys = new ApiKeyStore(tx, clock);

  @Test
  @DisplayName("a new key's secret works once handed out, only its SHA-256 and prefix are in PostgreSQL, and revoking it ends it")
  void secretIsHashedAndRevocationEndsIt() throws Exception {
    String tenant = TestTenants.create(tx);
    UUID admin = UUID.randomUUID();
    ApiKeyStore.IssuedApiKey issued = keys.create(tenant, " CRM sync ", Role.AGENT, admin).await();

    assertThat(issued.secret()).startsWith("otk_").hasSizeGreaterThan(40);
    assertThat(issued.toString()).doesNotContain(issued.secret());
    assertThat(issued.key().name()).isEqualTo("CRM sync");
    assertThat(issued.key().keyPrefix()).isEqualTo(issued.secret().substring(0, 12));
    assertThat(keys.authenticate(tenant, issued.secret()).await()).contains(issued.key());
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement q = c.prepareStatement("SELECT key_hash, created_by FROM api_key WHERE id = ?")) {
      q.setObject(1, issued.key().id());
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(RefreshTokenStore.hash(issued.secret())).doesNotContain(issued.secret());
        assertThat(rs.getObject(2)).isEqualTo(admin);
      }
    }

    clock.advance(Duration.ofMinutes(5));
    ApiKey revoked = keys.revoke(tenant, issued.key().id()).await().orElseThrow();
    assertThat(revoked.revokedAt().toInstant()).isEqualTo(clock.instant());
    assertThat(keys.authenticate(tenant, issued.secret()).await()).isEmpty();
    clock.advance(Duration.ofMinutes(5));
    assertThat(keys.revoke(tenant, issued.key().id()).await().orElseThrow().revokedAt())
        .as("revoking again keeps the first time").isEqualTo(revoked.revokedAt());
    assertThat(keys.revoke(tenant, UUID.randomUUID()).await()).isEmpty();
  }

  @Test
  @DisplayName("a key of one tenant is unknown to another, even with the right secret")
  void keyIsBoundToItsTenant() {
    String a = TestTenants.create(tx);
    String b = TestTenants.create(tx);
    ApiKeyStore.IssuedApiKey issued = keys.create(a, "importer", Role.COORDINATOR, null).await();

    assertThat(keys.authenticate(b, issued.secret()).await()).isEmpty();
    assertThat(keys.revoke(b, issued.key().id()).await()).isEmpty();
    assertThat(keys.list(b, 0, 10).await().total()).isZero();
    assertThat(keys.authenticate(a, issued.secret()).await()).isPresent();
    assertThat(keys.authenticate(a, "otk_guessed").await()).isEmpty();
  }

  @Test
  @DisplayName("names are unique among live keys, a revoked key's name is free again, and customers never get keys")
  void namesAndRoles() {
    String tenant = TestTenants.create(tx);
    ApiKeyStore.IssuedApiKey first = keys.create(tenant, "Monitoring", Role.AGENT, null).await();

    assertThat(problemOf(keys.create(tenant, "monitoring", Role.AGENT, null)).code()).isEqualTo("api-key.name-taken");
    assertThat(problemOf(keys.create(tenant, "portal", Role.CUSTOMER, null)).code()).isEqualTo("api-key.role-invalid");
    assertThat(problemOf(keys.create(tenant, " ", Role.AGENT, null)).code()).isEqualTo("api-key.name-required");

    keys.revoke(tenant, first.key().id()).await();
    clock.advance(Duration.ofSeconds(1));
    ApiKeyStore.IssuedApiKey second = keys.create(tenant, "Monitoring", Role.AGENT, null).await();
    Page<ApiKey> page = keys.list(tenant, 0, 10).await();
    assertThat(page.total()).isEqualTo(2);
    assertThat(page.items()).extracting(ApiKey::id).containsExactly(second.key().id(), first.key().id());
    assertThat(keys.list(tenant, 5, 10).await()).isEqualTo(new Page<ApiKey>(java.util.List.of(), 2));
  }
}
