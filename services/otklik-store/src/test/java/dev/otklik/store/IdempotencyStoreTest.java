package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.IdempotencyStore.Claim;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IdempotencyStoreTest {

  private static final TenantTransactions tx = TestDatabase.transactions();
  private static final TestClock clock = new TestClock(Instant.parse("2025-03-01T09:00:00Z"));
  private static final IdempotencyStore store = new IdempotencyStore(tx, clock, Duration.ofHours(24));

  @Test
  @DisplayName("the first claim wins, a retry sees it in progress, then the stored response, and another body is a mismatch")
  void claimThenReplay() {
    String tenant = TestTenants.create(tx);
    UUID caller = UUID.randomUUID();

    assertThat(store.claim(tenant, caller, "k1", "hash-a").await()).isInstanceOf(Claim.Claimed.class);
    assertThat(store.claim(tenant, caller, "k1", "hash-a").await()).isInstanceOf(Claim.InProgress.class);
    store.complete(tenant, caller, "k1", 201, new JsonObject().put("Location", "/x/1"), "{\"id\":1}").await();

    assertThat(store.claim(tenant, caller, "k1", "hash-a").await())
        .isEqualTo(new Claim.Completed(201, new JsonObject().put("Location", "/x/1"), "{\"id\":1}"));
    assertThat(store.claim(tenant, caller, "k1", "hash-b").await()).isInstanceOf(Claim.Mismatch.class);
    assertThat(store.claim(tenant, UUID.randomUUID(), "k1", "hash-b").await())
        .as("keys are per caller").isInstanceOf(Claim.Claimed.class);
  }

  @Test
  @DisplayName("of twenty concurrent claims of one key exactly one wins")
  void concurrentClaimsHaveOneWinner() {
    String tenant = TestTenants.create(tx);
    UUID caller = UUID.randomUUID();
    List<Future<Claim>> claims = java.util.stream.IntStream.range(0, 20)
        .mapToObj(i -> store.claim(tenant, caller, "twin", "hash")).toList();
    Future.all(claims).await();

    assertThat(claims.stream().map(Future::result).filter(Claim.Claimed.class::isInstance)).hasSize(1);
    assertThat(claims.stream().map(Future::result).filter(Claim.InProgress.class::isInstance)).hasSize(19);
  }

  @Test
  @DisplayName("a released claim can be taken again, and a key is forgotten after its lifetime")
  void releaseAndExpiry() {
    String tenant = TestTenants.create(tx);
    UUID caller = UUID.randomUUID();
    store.claim(tenant, caller, "k", "h1").await();
    store.release(tenant, caller, "k").await();
    assertThat(store.claim(tenant, caller, "k", "h2").await()).isInstanceOf(Claim.Claimed.class);
    store.complete(tenant, caller, "k", 201, null, "{}").await();
    store.release(tenant, caller, "k").await();
    assertThat(store.claim(tenant, caller, "k", "h2").await()).as("a completed key is not released")
        .isInstanceOf(Claim.Completed.class);

    clock.advance(Duration.ofHours(25));
    assertThat(store.claim(tenant, caller, "k", "h3").await()).isInstanceOf(Claim.Claimed.class);
  }
}
