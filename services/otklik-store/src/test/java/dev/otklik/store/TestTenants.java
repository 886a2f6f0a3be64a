package dev.otklik.store;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Fresh tenant rows for tests, so each test works in a tenant of its own. */
public final class TestTenants {

  private TestTenants() {}

  /** Records a new enabled tenant (the row other tables reference) and returns its id. */
  public static String create(TenantTransactions tx) {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    new TenantStore(tx).recordConfig(id, "TST", true, "hash", "1", new JsonObject()).await();
    return id;
  }
}
