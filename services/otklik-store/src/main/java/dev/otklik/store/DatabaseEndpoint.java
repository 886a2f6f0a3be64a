package dev.otklik.store;

import io.vertx.pgclient.PgConnectOptions;

/** A reachable PostgreSQL database and the two roles Otklik uses on it. */
public record DatabaseEndpoint(
    String host,
    int port,
    String database,
    String appUser,
    String appPassword,
    String migrationUser,
    String migrationPassword) {

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** Connect options for the application role, used by the reactive pool. */
  public PgConnectOptions appConnectOptions() {
    return new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(appUser)
        .setPassword(appPassword)
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(256);
  }

  /**
   * Parses {@code postgresql://[user[:password]@]host[:port]/database} (a {@code jdbc:} prefix is
   * accepted). Credentials in the URL are the application role's; the migration role defaults to
   * the same when not given separately.
   */
  public static DatabaseEndpoint fromUrl(DatabaseOptions options) {
    String url = options.url().startsWith("jdbc:") ? options.url().substring(5) : options.url();
    java.net.URI uri = java.net.URI.create(url);
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("database url must start with postgresql://, was " + options.url());
    }
    String user = options.appUser();
    String password = options.appPassword();
    if (uri.getUserInfo() != null) {
      String[] parts = uri.getUserInfo().split(":", 2);
      user = parts[0];
      password = parts.length > 1 ? parts[1] : password;
    }
    String database = uri.getPath() == null || uri.getPath().length() <= 1
        ? DatabaseOptions.DEFAULT_DATABASE : uri.getPath().substring(1);
    int port = uri.getPort() > 0 ? uri.getPort() : 5432;
    String migrationUser = options.migrationUser() != null ? options.migrationUser() : user;
    String migrationPassword = options.migrationPassword() != null ? options.migrationPassword() : password;
    return new DatabaseEndpoint(uri.getHost(), port, database, user, password, migrationUser, migrationPassword);
  }
}
