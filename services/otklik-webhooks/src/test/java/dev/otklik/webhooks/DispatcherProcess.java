package dev.otklik.webhooks;

import dev.otklik.store.DatabaseEndpoint;
import dev.otklik.store.PgPools;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.WebhookStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A webhook dispatcher as a process of its own, for {@link DispatcherProcessKillTest}: args are
 * the database host, port, name, application user and password, and the one tenant to serve.
 * Prints "ready" once deployed and then runs until killed.
 */
public final class DispatcherProcess {

  private DispatcherProcess() {}

  public static void main(String[] args) throws Exception {
    DatabaseEndpoint db = new DatabaseEndpoint(args[0], Integer.parseInt(args[1]), args[2], args[3], args[4],
        args[3], args[4]);
    Vertx vertx = Vertx.vertx();
    WebhookStore store = new WebhookStore(new TenantTransactions(PgPools.create(vertx, db, 4)), Clock.systemUTC());
    vertx.deployVerticle(new WebhookDispatcherVerticle(store, () -> List.of(args[5]),
        new WebhookOptions(Duration.ofMillis(50), Duration.ofSeconds(15), 4, Duration.ofSeconds(2), true,
            Duration.ofHours(24)))).await();
    System.out.println("ready");
    System.out.flush();
    Thread.currentThread().join();
  }
}
