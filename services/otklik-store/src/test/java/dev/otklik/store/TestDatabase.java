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

  /** A JDBC connection as the superuser, for tests that must look past row-level security. */
  public static java.sql.Connection superuserConnection() throws java.sql.SQLException {
    DatabaseEndpoint e = endpoint();
    return java.sql.DriverManager.getConnection(e.jdbcUrl(), e.migrationUser(), e.migrationPassword());
  }
}
