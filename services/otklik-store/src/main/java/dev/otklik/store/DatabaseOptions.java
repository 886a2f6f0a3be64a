package dev.otklik.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the database is and how to reach it.
 *
 * <p>With no {@code url}, Otklik starts its own embedded PostgreSQL in {@code embeddedDataDir}.
 * The application connects as {@code appUser}, which must not be a superuser nor bypass row-level
 * security; migrations run as {@code migrationUser} (the schema owner).
 *
 * @param url              JDBC-style {@code postgresql://host:port/db} URL, or null for embedded
 * @param appUser          role the application pool connects as
 * @param appPassword      its password
 * @param migrationUser    role Flyway connects as (owner of the schema)
 * @param migrationPassword its password
 * @param poolSize         connections per node in the reactive pool
 * @param embeddedDataDir  data directory of the embedded server (kept across restarts)
 * @param embeddedPort     port of the embedded server, 0 for any free port
 */
public record DatabaseOptions(
    String url,
    String appUser,
    String appPassword,
    String migrationUser,
    String migrationPassword,
    int poolSize,
    Path embeddedDataDir,
    int embeddedPort) {

  public static final String DEFAULT_APP_USER = "otklik_app";
  public static final String DEFAULT_DATABASE = "otklik";

  public DatabaseOptions {
    Objects.requireNonNull(appUser, "appUser");
    if (poolSize < 1) {
      throw new IllegalArgumentException("db pool size must be at least 1, was " + poolSize);
    }
    if (url == null) {
      Objects.requireNonNull(embeddedDataDir, "embeddedDataDir is needed when no database url is set");
    }
  }

  public boolean embedded() {
    return url == null;
  }

  /** Embedded defaults: a server in {@code dataDir}, the standard app role, a small pool. */
  public static DatabaseOptions embedded(Path dataDir) {
    return new DatabaseOptions(null, DEFAULT_APP_USER, "otklik", "postgres", "", 8, dataDir, 0);
  }
}
