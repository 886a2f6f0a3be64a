package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RowLevelSecurityTest {

  private static final Vertx vertx = TestDatabase.vertx();
  private static final Pool pool = TestDatabase.pool();
  private static final TenantTransactions tx = TestDatabase.transactions();

  private static String newTenantId() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  @DisplayName("every table in the public schema has row-level security enabled and forced")
  void everyTableHasForcedRowLevelSecurity() throws Exception {
    List<String> unprotected = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection();
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                + "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
                + "AND relname <> 'flyway_schema_history'")) {
      int tables = 0;
      while (rs.next()) {
        tables++;
        if (!rs.getBoolean(2) || !rs.getBoolean(3)) {
          unprotected.add(rs.getString(1));
        }
      }
      assertThat(tables).isGreaterThanOrEqualTo(2);
    }
    assertThat(unprotected).as("tables without forced RLS").isEmpty();
  }

  @Test
  @DisplayName("the application role is neither superuser nor exempt from row-level security")
  void applicationRoleIsSubjectToRowLevelSecurity() {
    DatabaseGuard.requireRowLevelSecurity(pool).await();
  }

  @Test
  @DisplayName("a transaction for tenant B sees none of tenant A's rows, even by primary key")
  void tenantCannotReadAnotherTenantsRows() {
    String a = newTenantId();
    String b = newTenantId();
    TenantStore store = new TenantStore(tx);
    store.recordConfig(a, "AAA", true, "h1", "1", new JsonObject().put("id", a)).await();
    store.recordConfig(b, "BBB", true, "h1", "1", new JsonObject().put("id", b)).await();

    long seenFromB = tx.inTenant(b, conn -> conn
        .preparedQuery("SELECT count(*) AS n FROM tenant_config_version WHERE tenant_id = $1")
        .execute(Tuple.of(a))
        .map(rows -> rows.iterator().next().getLong("n"))).await();
    long seenFromA = tx.inTenant(a, conn -> conn
        .preparedQuery("SELECT count(*) AS n FROM tenant WHERE id = $1")
        .execute(Tuple.of(a))
        .map(rows -> rows.iterator().next().getLong("n"))).await();

    assertThat(seenFromB).isZero();
    assertThat(seenFromA).isEqualTo(1);
  }

  @Test
  @DisplayName("without a tenant set, the application role sees no tenant rows at all")
  void noTenantSetMeansNoRows() {
    String a = newTenantId();
    new TenantStore(tx).recordConfig(a, "AAA", true, "h", "1", new JsonObject()).await();
    long visible = pool.query("SELECT count(*) AS n FROM tenant").execute()
        .map(rows -> rows.iterator().next().getLong("n")).await();
    assertThat(visible).isZero();
  }

  @Test
  @DisplayName("writing a row for another tenant is rejected by the policy's check")
  void writingForAnotherTenantIsRejected() throws Exception {
    String a = newTenantId();
    String b = newTenantId();
    Throwable failure = tx.inTenant(a, conn -> conn
            .preparedQuery("INSERT INTO tenant (id, request_number_prefix, enabled) VALUES ($1, 'BBB', true)")
            .execute(Tuple.of(b)))
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await();
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("row-level security");
    try (Connection c = TestDatabase.superuserConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM tenant WHERE id = '" + b + "'")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  @DisplayName("the tenant setting is transaction-local and does not leak to the next user of a connection")
  void tenantSettingDoesNotLeakAcrossTransactions() {
    String a = newTenantId();
    tx.inTenant(a, conn -> conn.query("SELECT 1").execute()).await();
    // A single-connection pool guarantees the next query reuses the same connection.
    Pool single = PgPools.create(vertx, TestDatabase.endpoint(), 1);
    try {
      new TenantTransactions(single).inTenant(a, conn -> conn.query("SELECT 1").execute()).await();
      String after = single.query("SELECT coalesce(otklik_current_tenant(), '<none>') AS t").execute()
          .map(rows -> rows.iterator().next().getString("t")).await();
      assertThat(after).isEqualTo("<none>");
    } finally {
      single.close().await();
    }
  }
}
