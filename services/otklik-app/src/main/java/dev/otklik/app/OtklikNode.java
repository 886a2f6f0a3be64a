package dev.otklik.app;

import dev.otklik.api.ApiOptions;
import dev.otklik.api.HttpServerVerticle;
import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.realtime.StreamGateway;
import dev.otklik.realtime.StreamOptions;
import dev.otklik.store.DatabaseEndpoint;
import dev.otklik.store.DatabaseGuard;
import dev.otklik.store.DatabaseMigrator;
import dev.otklik.store.EmbeddedDatabase;
import dev.otklik.store.PgPools;
import dev.otklik.store.TenantStore;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TicketStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Otklik node. {@link #start} does, in order: start or connect to PostgreSQL,
 * migrate, build Vert.x (clustered if configured), check the database role, load tenants,
 * record their config versions, deploy the HTTP verticles and the SLA timer verticle, and watch the
 * tenant directory.
 * Blocking: called from the launcher's main thread (or a test), never from an event loop.
 */
public final class OtklikNode {

  private static final Logger LOG = LoggerFactory.getLogger(OtklikNode.class);

  private final EmbeddedDatabase embedded;
  private final DatabaseEndpoint endpoint;
  private final Vertx vertx;
  private final Pool pool;
  private final TenantRegistrySource tenants;
  private final int httpPort;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private OtklikNode(EmbeddedDatabase embedded, DatabaseEndpoint endpoint, Vertx vertx, Pool pool,
      TenantRegistrySource tenants, int httpPort) {
    this.embedded = embedded;
    this.endpoint = endpoint;
    this.vertx = vertx;
    this.pool = pool;
    this.tenants = tenants;
    this.httpPort = httpPort;
  }

  public static OtklikNode start(AppOptions options) throws Exception {
    return start(options, Clock.systemUTC());
  }

  /** As {@link #start(AppOptions)}, with the clock the API, the SLA timers and recalculation read. */
  static OtklikNode start(AppOptions options, Clock clock) throws Exception {
    EmbeddedDatabase embedded = null;
    Vertx vertx = null;
    try {
      DatabaseEndpoint endpoint;
      if (options.database().embedded()) {
        embedded = EmbeddedDatabase.start(options.database());
        endpoint = embedded.endpoint();
      } else {
        endpoint = DatabaseEndpoint.fromUrl(options.database());
        LOG.info("Using PostgreSQL at {}:{}/{}", endpoint.host(), endpoint.port(), endpoint.database());
      }
      DatabaseMigrator.migrate(endpoint);

      VertxOptions vertxOptions = new VertxOptions();
      HazelcastClusterManager cluster = options.clustered() ? ClusterSetup.clusterManager(options) : null;
      vertx = cluster != null
          ? Vertx.builder().with(vertxOptions).withClusterManager(cluster).buildClustered().await()
          : Vertx.builder().with(vertxOptions).build();

      Pool pool = PgPools.create(vertx, endpoint, options.database().poolSize());
      DatabaseGuard.requireRowLevelSecurity(pool).await();

      TenantRegistrySource tenants = TenantRegistrySource.create(
          vertx, options.tenantConfigDir(), new TenantStore(new TenantTransactions(pool)));
      tenants.loadInitial().await();

      int port = options.httpPort() == 0 ? freePort() : options.httpPort();
      JwtKeys jwt = JwtKeys.hs256(JwtSecrets.secret(options), options.jwtIssuer(), options.jwtAudience(),
          JwtKeys.DEFAULT_ACCESS_TTL);
      ApiOptions api = new ApiOptions(options.httpHost(), port, options.bodyLimitBytes(), options.adminToken(),
          jwt, ApiOptions.DEFAULT_REFRESH_TTL, options.rateLimitPerUserPerMinute(), options.rateLimitPerTenantPerMinute(),
          clock);
      // The realtime WebSocket gateway (/api/v1/stream) is mounted on the same HTTP server.
      StreamGateway stream = new StreamGateway(vertx, new AccessTokens(vertx, jwt), tenants,
          new TenantTransactions(pool), StreamOptions.DEFAULTS);
      vertx.deployVerticle(() -> new HttpServerVerticle(api, tenants, pool, stream),
          new DeploymentOptions().setInstances(options.httpInstances())).await();
      vertx.deployVerticle(new SlaTimerVerticle(
          () -> tenants.configs().stream().map(c -> c.getString("id")).toList(),
          new TicketStore(new TenantTransactions(pool), clock), SlaTimerVerticle.DEFAULT_INTERVAL,
          tenantId -> SlaTimerVerticle.clocksOf(tenantId, tenants))).await();
      new SlaRecalculation(tenants, new TicketStore(new TenantTransactions(pool), clock)).install();

      if (!options.tenantReloadInterval().isZero()) {
        tenants.startWatching(options.tenantReloadInterval());
      }
      LOG.info("Otklik node started: {} tenants, HTTP port {}, {}", tenants.configs().size(), port,
          cluster != null ? "cluster of " + cluster.getNodes().size() + " member(s)" : "single node");
      return new OtklikNode(embedded, endpoint, vertx, pool, tenants, port);
    } catch (Exception e) {
      if (vertx != null) {
        vertx.close().await();
      }
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  /** Port 0 means "any": pick one now so every HTTP verticle instance binds the same port. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public int httpPort() {
    return httpPort;
  }

  public DatabaseEndpoint databaseEndpoint() {
    return endpoint;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops everything in reverse order. Safe to call twice (shutdown hook and a test). */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Otklik node stopping");
    try {
      tenants.close().await();
      vertx.close().await();
    } catch (RuntimeException e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.getMessage());
    }
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    }
    LOG.info("Otklik node stopped");
  }
}
