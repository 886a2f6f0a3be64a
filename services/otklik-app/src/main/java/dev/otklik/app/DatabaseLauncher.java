package dev.otklik.app;

import dev.otklik.store.DatabaseEndpoint;
import dev.otklik.store.EmbeddedDatabase;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -cp otklik-app.jar dev.otklik.app.DatabaseLauncher --data-dir=... [--db.embedded-port=...]}:
 * runs ONLY the embedded PostgreSQL (database {@code otklik}, the application role {@code otklik_app}
 * created as on a normal start), so that several nodes on one machine can share it through
 * {@code --db.url}. It does not migrate: the nodes do that themselves (Flyway's advisory lock makes
 * concurrent starts safe). It prints one line a script can parse:
 *
 * <pre>Otklik database is listening on postgresql://127.0.0.1:PORT/otklik (node settings: --db.url=... --db.migration-user=postgres --db.migration-password=)</pre>
 *
 * and stops the server on SIGTERM or Ctrl-C. For local clusters and tests; production uses a real
 * PostgreSQL.
 */
public final class DatabaseLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseLauncher.class);

  private DatabaseLauncher() {}

  public static void main(String[] args) throws InterruptedException {
    AppOptions options;
    try {
      Map<String, String> props = new HashMap<>();
      System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
      options = AppOptions.load(System.getenv(), props, args);
    } catch (IllegalArgumentException e) {
      System.err.println("otklik-db: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!options.database().embedded()) {
      System.err.println("otklik-db: db.url is set; this launcher only runs the embedded server");
      System.exit(2);
      return;
    }
    EmbeddedDatabase database;
    try {
      database = EmbeddedDatabase.start(options.database());
    } catch (IOException e) {
      LOG.error("The database could not start: {}", e.getMessage(), e);
      System.err.println("otklik-db: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        database.close();
      } catch (IOException e) {
        LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
      stopped.countDown();
    }, "otklik-db-shutdown"));
    System.out.println("Otklik database is listening on " + url(database.endpoint())
        + " (node settings: " + String.join(" ", nodeArguments(database.endpoint())) + ")");
    stopped.await();
  }

  /** {@code postgresql://host:port/database}, without credentials. */
  static String url(DatabaseEndpoint endpoint) {
    return "postgresql://" + endpoint.host() + ":" + endpoint.port() + "/" + endpoint.database();
  }

  /** What a node needs to use this server: its URL and the schema owner for migrations. */
  static String[] nodeArguments(DatabaseEndpoint endpoint) {
    return new String[] {
        "--db.url=" + url(endpoint),
        "--db.migration-user=" + endpoint.migrationUser(),
        "--db.migration-password=" + endpoint.migrationPassword()};
  }
}
