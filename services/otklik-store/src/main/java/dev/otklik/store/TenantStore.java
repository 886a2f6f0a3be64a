package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.Map;

/**
 * The tenant rows and the history of tenant-config versions. Each distinct config content gets
 * a version number per tenant; requests later record the version whose SLA they were given.
 */
public final class TenantStore {

  private final TenantTransactions tx;
  private final NamedSql.Statement upsertTenant;
  private final NamedSql.Statement findVersion;
  private final NamedSql.Statement insertVersion;
  private final NamedSql.Statement setCurrentVersion;
  private final NamedSql.Statement currentVersion;
  private final NamedSql.Statement disableTenant;

  public TenantStore(TenantTransactions tx) {
    this.tx = tx;
    NamedSql sql = NamedSql.load("tenant");
    this.upsertTenant = sql.get("upsert-tenant");
    this.findVersion = sql.get("find-config-version");
    this.insertVersion = sql.get("insert-config-version");
    this.setCurrentVersion = sql.get("set-current-version");
    this.currentVersion = sql.get("current-config-version");
    this.disableTenant = sql.get("disable-tenant");
  }

  /** What was recorded for one tenant's config. */
  public record ConfigVersion(String tenantId, int version, String contentHash, boolean isNew) {}

  /**
   * Records the tenant and its config content in one transaction. The same content yields the
   * same version; new content yields the next version. The tenant row is locked first, so nodes
   * starting together agree on the numbering.
   */
  public Future<ConfigVersion> recordConfig(
      String tenantId, String requestNumberPrefix, boolean enabled,
      String contentHash, String slaVersion, JsonObject config) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(upsertTenant.sql())
        .execute(upsertTenant.tuple(Map.of(
            "id", tenantId, "request_number_prefix", requestNumberPrefix, "enabled", enabled)))
        .compose(ignored -> conn.preparedQuery(findVersion.sql())
            .execute(findVersion.tuple(Map.of("tenant_id", tenantId, "content_hash", contentHash))))
        .compose(found -> {
          if (found.size() > 0) {
            return Future.succeededFuture(new ConfigVersion(
                tenantId, found.iterator().next().getInteger("version"), contentHash, false));
          }
          java.util.HashMap<String, Object> values = new java.util.HashMap<>();
          values.put("tenant_id", tenantId);
          values.put("content_hash", contentHash);
          values.put("sla_version", slaVersion);
          values.put("config", config);
          return conn.preparedQuery(insertVersion.sql()).execute(insertVersion.tuple(values))
              .map(rows -> new ConfigVersion(
                  tenantId, rows.iterator().next().getInteger("version"), contentHash, true));
        })
        .compose(v -> conn.preparedQuery(setCurrentVersion.sql())
            .execute(setCurrentVersion.tuple(Map.of("id", tenantId, "version", v.version())))
            .map(v)));
  }

  /** Marks a tenant whose config file was removed as disabled; its rows stay. */
  public Future<Void> disable(String tenantId) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(disableTenant.sql())
        .execute(disableTenant.tuple(Map.of("id", tenantId)))
        .mapEmpty());
  }

  /** The version a tenant currently runs on, or null if it was never recorded. */
  public Future<Integer> currentVersion(String tenantId) {
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(currentVersion.sql())
        .execute(currentVersion.tuple(Map.of("id", tenantId)))
        .map(TenantStore::firstVersion));
  }

  private static Integer firstVersion(RowSet<Row> rows) {
    return rows.size() == 0 ? null : rows.iterator().next().getInteger("current_version");
  }
}
