package dev.otklik.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The platform_admin table has no tenant; its policy opens it only to a declared platform scope. */
class PlatformAdminScopeTest {

  private static final String COUNT = "SELECT count(*) AS n FROM platform_admin WHERE email = $1";

  private static Vertx vertx;
  private static Pool pool;
  private static String email;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, TestDatabase.endpoint(), 2);
    email = "root-" + UUID.randomUUID() + "@otklik.dev";
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement insert = c.prepareStatement(
            "INSERT INTO platform_admin (email, password_hash) VALUES (?, '$argon2id$test')")) {
      insert.setString(1, email);
      insert.executeUpdate();
    }
  }

  @AfterAll
  static void stop() {
    pool.close().await();
    vertx.close().await();
  }

  private static long countIn(String platformFlag, String tenantId) {
    return pool.withTransaction(conn -> set(conn, "app.platform_admin", platformFlag)
        .compose(v -> set(conn, "app.tenant_id", tenantId))
        .compose(v -> conn.preparedQuery(COUNT).execute(Tuple.of(email)))
        .map(rows -> rows.iterator().next().getLong("n"))).await();
  }

  private static Future<Void> set(SqlConnection conn, String setting, String value) {
    return value == null ? Future.succeededFuture()
        : conn.preparedQuery("SELECT set_config($1, $2, true)").execute(Tuple.of(setting, value)).mapEmpty();
  }

  @Test
  @DisplayName("a transaction that declares platform scope and no tenant sees the platform admin")
  void platformScopeSeesAdmins() {
    assertThat(countIn("on", null)).isEqualTo(1);
  }

  @Test
  @DisplayName("bare pool queries and tenant transactions see no platform admin, even with the flag added")
  void tenantScopeSeesNoAdmins() {
    long bare = pool.preparedQuery(COUNT).execute(Tuple.of(email))
        .map(rows -> rows.iterator().next().getLong("n")).await();
    long inTenant = new TenantTransactions(pool).inTenant("some-tenant", conn ->
        conn.preparedQuery(COUNT).execute(Tuple.of(email)).map(rows -> rows.iterator().next().getLong("n"))).await();

    assertThat(bare).isZero();
    assertThat(inTenant).isZero();
    assertThat(countIn("on", "some-tenant")).isZero();
    assertThat(countIn("off", null)).isZero();
  }
}
