package dev.otklik.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from zonky's embedded binaries (as root it runs under
 * {@code unshare -U}). The data directory is kept, so data survives a restart. Blocking: call
 * from the launcher's main thread or a worker, never from an event loop.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final DatabaseEndpoint endpoint;

  private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseEndpoint endpoint) {
    this.postgres = postgres;
    this.endpoint = endpoint;
  }

  /**
   * Starts the server on {@code options.embeddedDataDir()} (created and initialised when empty),
   * then makes sure the Otklik database and the application role exist.
   */
  public static EmbeddedDatabase start(DatabaseOptions options) throws IOException {
    Path dataDir = options.embeddedDataDir().toAbsolutePath();
    Files.createDirectories(dataDir.getParent());
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        // The launcher stops the server itself, after Vert.x has closed its pool.
        .setRegisterShutdownHook(false)
        .setServerConfig("max_connections", "200")
        .setServerConfig("unix_socket_directories", "")
        .setLocaleConfig("locale", "C.UTF-8");
    if (options.embeddedPort() > 0) {
      builder.setPort(options.embeddedPort());
    }
    EmbeddedPostgres postgres = builder.start();
    DatabaseEndpoint endpoint = new DatabaseEndpoint(
        "127.0.0.1", postgres.getPort(), DatabaseOptions.DEFAULT_DATABASE,
        options.appUser(), options.appPassword(), "postgres", "");
    try {
      prepare(postgres, endpoint);
    } catch (SQLException e) {
      postgres.close();
      throw new IOException("could not prepare the embedded database: " + e.getMessage(), e);
    }
    LOG.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDir);
    return new EmbeddedDatabase(postgres, endpoint);
  }

  /** Creates the database and a login role that is neither superuser nor exempt from RLS. */
  private static void prepare(EmbeddedPostgres postgres, DatabaseEndpoint endpoint) throws SQLException {
    try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"))) {
      try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
        q.setString(1, endpoint.appUser());
        try (ResultSet rs = q.executeQuery(); Statement s = c.createStatement()) {
          String role = quoteIdent(endpoint.appUser());
          String password = quoteLiteral(endpoint.appPassword());
          s.execute(rs.next()
              ? "ALTER ROLE " + role + " LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD " + password
              : "CREATE ROLE " + role + " LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD " + password);
        }
      }
      try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        q.setString(1, endpoint.database());
        try (ResultSet rs = q.executeQuery(); Statement s = c.createStatement()) {
          if (!rs.next()) {
            s.execute("CREATE DATABASE " + quoteIdent(endpoint.database()) + " ENCODING 'UTF8'");
          }
        }
      }
    }
  }

  static String quoteIdent(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }

  private static String quoteLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  public DatabaseEndpoint endpoint() {
    return endpoint;
  }

  /** Stops the server (fast shutdown: open transactions are rolled back, committed data kept). */
  @Override
  public void close() throws IOException {
    postgres.close();
    LOG.info("Embedded PostgreSQL stopped");
  }
}
