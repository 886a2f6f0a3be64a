package dev.otklik.store;

import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the forward-only Flyway migrations in {@code db/migration} as the schema owner, before any
 * verticle is deployed. Blocking (JDBC).
 */
public final class DatabaseMigrator {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigrator.class);

  private DatabaseMigrator() {}

  public static MigrateResult migrate(DatabaseEndpoint endpoint) {
    Flyway flyway = Flyway.configure(DatabaseMigrator.class.getClassLoader())
        .dataSource(endpoint.jdbcUrl(), endpoint.migrationUser(), endpoint.migrationPassword())
        .locations("classpath:db/migration")
        .placeholders(Map.of("app_role", EmbeddedDatabase.quoteIdent(endpoint.appUser())))
        .validateMigrationNaming(true)
        .load();
    MigrateResult result = flyway.migrate();
    LOG.info("Database schema at version {} ({} migrations applied now)",
        result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
        result.migrationsExecuted);
    return result;
  }
}
