package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

/**
 * Refuses to run with a database role that would silently switch off row-level security: a
 * superuser or a BYPASSRLS role sees every tenant's rows whatever the policies say.
 */
public final class DatabaseGuard {

  private DatabaseGuard() {}

  public static Future<Void> requireRowLevelSecurity(Pool pool) {
    return pool.query("SELECT current_user AS role, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        .execute()
        .compose(rows -> {
          Row row = rows.iterator().next();
          if (row.getBoolean("rolsuper") || row.getBoolean("rolbypassrls")) {
            return Future.failedFuture(new IllegalStateException(
                "database role " + row.getString("role") + " is a superuser or bypasses row-level "
                    + "security; connect the application as an ordinary role (see README, Configuration)"));
          }
          return Future.succeededFuture();
        });
  }
}
