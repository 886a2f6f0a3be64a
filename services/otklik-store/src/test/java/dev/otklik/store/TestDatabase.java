package dev.otklik.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real embedded PostgreSQL per test JVM, in a throw-away directory, migrated once. Tests
 * isolate themselves by tenant id (unique per test) rather than by restarting the server.
 */
public final class TestDatabase {

  private static EmbeddedDatabase database;
  private static io.vertx.core.Vertx vertx;
  private static io.vertx.sqlclient.Pool pool;

  private TestDatabase() {}

  public static synchronized DatabaseEndpoint endpoint() {
    if (database == null) {
      try {
        Path dir = Files.createTempDirectory("otklik-test-pg");
        database = EmbeddedDatabase.start(DatabaseOptions.embedded(dir.resolve("pgdata")));
        DatabaseMigrator.migrate(database.endpoint());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            database.close();
          } catch (IOException ignored) {
            // the JVM is going away; the directory is temporary
          }
        }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return database.endpoint();
  }

  /** One Vert.x instance for the test JVM's database clients. */
  public static synchronized io.vertx.core.Vertx vertx() {
    if (vertx == null) {
      vertx = io.vertx.core.Vertx.vertx();
    }
    return vertx;
  }

  /** One pool of the application role (subject to RLS), shared by every test in the JVM. */
  public static synchronized io.vertx.sqlclient.Pool pool() {
    if (pool == null) {
      pool = PgPools.create(vertx(), endpoint(), 8);
    }
    return pool;
  }

  public static TenantTransactions transactions() {
    return new TenantTransactions(pool());
  }

  /** A JDBC connection as the superuser, for tests that must look past row-level security. */
  public static java.sql.Connection superuserConnection() throws java.sql.SQLException {
    DatabaseEndpoint e = endpoint();
    return java.sql.DriverManager.getConnection(e.jdbcUrl(), e.migrationUser(), e.migrationPassword());
  }
}
