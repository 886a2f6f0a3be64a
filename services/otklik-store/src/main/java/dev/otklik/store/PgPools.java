package dev.otklik.store;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the node's reactive pool for the application role. */
public final class PgPools {

  private PgPools() {}

  public static Pool create(Vertx vertx, DatabaseEndpoint endpoint, int size) {
    return PgBuilder.pool()
        // no pool-side wait timeout: TenantTransactions times the wait (see there why)
        .with(new PoolOptions().setMaxSize(size).setName("otklik-pool").setShared(true).setConnectionTimeout(0))
        .connectingTo(endpoint.appConnectOptions())
        .using(vertx)
        .build();
  }
}
