package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TenantStoreTest {

  private static final TenantTransactions tx = TestDatabase.transactions();

  private static TenantStore store;

  @BeforeAll
  static void start() {
    store = new TenantStore(tx);
  }

  @Test
  @DisplayName("the same config content keeps its version; new content gets the next version")
  void configVersionsAreNumberedByContent() {
    String id = "v-" + UUID.randomUUID().toString().substring(0, 8);
    var first = store.recordConfig(id, "VVV", true, "hash-1", "2026.1", new JsonObject().put("a", 1)).await();
    var again = store.recordConfig(id, "VVV", true, "hash-1", "2026.1", new JsonObject().put("a", 1)).await();
    var changed = store.recordConfig(id, "VVV", false, "hash-2", "2026.2", new JsonObject().put("a", 2)).await();

    assertThat(first.version()).isEqualTo(1);
    assertThat(first.isNew()).isTrue();
    assertThat(again.version()).isEqualTo(1);
    assertThat(again.isNew()).isFalse();
    assertThat(changed.version()).isEqualTo(2);
    assertThat(store.currentVersion(id).await()).isEqualTo(2);
  }

  @Test
  @DisplayName("nodes recording the same new config at once agree on one version")
  void concurrentRecordingAgreesOnOneVersion() {
    String id = "c-" + UUID.randomUUID().toString().substring(0, 8);
    List<Future<TenantStore.ConfigVersion>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(store.recordConfig(id, "CCC", true, "same", "1", new JsonObject()));
    }
    Future.all(all).await();
    assertThat(all).allSatisfy(f -> assertThat(f.result().version()).isEqualTo(1));
    assertThat(all.stream().filter(f -> f.result().isNew()).count()).isEqualTo(1);
  }

  @Test
  @DisplayName("a removed tenant is marked disabled and keeps its config history")
  void removedTenantIsDisabled() throws Exception {
    String id = "r-" + UUID.randomUUID().toString().substring(0, 8);
    store.recordConfig(id, "RRR", true, "h", "1", new JsonObject()).await();
    store.disable(id).await();
    try (var c = TestDatabase.superuserConnection();
        var rs = c.createStatement().executeQuery(
            "SELECT t.enabled, count(v.*) FROM tenant t JOIN tenant_config_version v ON v.tenant_id = t.id "
                + "WHERE t.id = '" + id + "' GROUP BY t.enabled")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).isFalse();
      assertThat(rs.getLong(2)).isEqualTo(1);
    }
  }
}
