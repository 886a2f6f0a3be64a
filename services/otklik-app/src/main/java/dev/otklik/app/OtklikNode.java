package dev.otklik.app;

import dev.otklik.api.ApiOptions;
import dev.otklik.api.HttpServerVerticle;
import dev.otklik.api.RouteContributor;
import dev.otklik.api.SurveyHandler;
import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.SessionRevocations;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.mail.TenantMail;
import dev.otklik.portal.PortalRoutes;
import dev.otklik.mail.intake.MailIntake;
import dev.otklik.mail.intake.MailIntakeVerticle;
import dev.otklik.mail.outbound.MailDispatcherVerticle;
import dev.otklik.mail.outbound.SmtpSender;
import dev.otklik.realtime.StreamGateway;
import dev.otklik.realtime.StreamOptions;
import dev.otklik.store.DatabaseEndpoint;
import dev.otklik.store.DatabaseGuard;
import dev.otklik.store.DatabaseMigrator;
import dev.otklik.store.EmbeddedDatabase;
import dev.otklik.store.MailStore;
import dev.otklik.store.PgPools;
import dev.otklik.store.TenantStore;
import dev.otklik.store.RefreshTokenStore;
import dev.otklik.store.SessionStore;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TicketStore;
import dev.otklik.store.WebhookStore;
import dev.otklik.webhooks.WebhookDispatcherVerticle;
import dev.otklik.webhooks.WebhookOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
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
      NodeMetrics metrics = new NodeMetrics(options.adminToken());
      HazelcastClusterManager cluster = options.clustered() ? ClusterSetup.clusterManager(options) : null;
      vertx = cluster != null
          ? metrics.builder(vertxOptions).withClusterManager(cluster).buildClustered().await()
          : metrics.builder(vertxOptions).build();
      metrics.watchEventLoops(vertx, vertxOptions.getEventLoopPoolSize());

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
          clock).withWebhooksAllowLoopback(options.webhooks().allowLoopback()).withPublicUrl(options.publicUrl());
      // The realtime WebSocket gateway (/api/v1/stream) is mounted on the same HTTP server.
      // Sessions ended on any node: refused by every HTTP verticle and closed on the gateway. A
      // starting node first reads the endings still inside an access token's lifetime.
      SessionRevocations revocations = SessionRevocations.of(vertx, jwt.accessTtl(), clock);
      revocations.warmUp(new SessionStore(new TenantTransactions(pool),
              new RefreshTokenStore(new TenantTransactions(pool), clock, ApiOptions.DEFAULT_REFRESH_TTL), clock),
          tenants.configs().stream().map(c -> c.getString("id")).toList()).await();
      StreamGateway stream = new StreamGateway(vertx, new AccessTokens(vertx, jwt), tenants,
          new TenantTransactions(pool), StreamOptions.DEFAULTS, clock, revocations);
      // The customer portal and agent console (/t/<tenant>/, /portal/*) share the server too.
      PortalRoutes portal = new PortalRoutes(tenants);
      RouteContributor extra = (v, router) -> {
        stream.addRoutes(v, router);
        portal.addRoutes(v, router);
        metrics.addRoutes(v, router); // GET /metrics (Prometheus)
      };
      vertx.deployVerticle(() -> new HttpServerVerticle(api, tenants, pool, extra),
          new DeploymentOptions().setInstances(options.httpInstances())).await();
      vertx.deployVerticle(new SlaTimerVerticle(
          () -> tenants.configs().stream().map(c -> c.getString("id")).toList(),
          // workflow timers that close a request send its satisfaction survey, as a person's closing does
          new TicketStore(new TenantTransactions(pool), clock,
              SurveyHandler.store(api, tenants, new TenantTransactions(pool))), SlaTimerVerticle.DEFAULT_INTERVAL,
          tenantId -> SlaTimerVerticle.clocksOf(tenantId, tenants))).await();
      new SlaRecalculation(tenants, new TicketStore(new TenantTransactions(pool), clock)).install();
      deployMail(vertx, options.mail(), pool, tenants, clock);
      new WebhookConfigSync(vertx, tenants, new WebhookStore(new TenantTransactions(pool), clock)).install().await();
      vertx.deployVerticle(new WebhookDispatcherVerticle(new WebhookStore(new TenantTransactions(pool), clock),
          () -> tenants.configs().stream().map(c -> c.getString("id")).toList(),
          WebhookOptions.DEFAULTS.withAllowLoopback(options.webhooks().allowLoopback())
              .withPollInterval(options.webhooks().dispatchInterval()))).await();

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

  /**
   * The mail outbox dispatcher (when SMTP is configured; otherwise mail waits in the outbox) and
   * the mail intake: IMAP polling of each tenant's support mailbox when IMAP is configured, and
   * always the sweep that processes recorded but unprocessed messages.
   */
  private static void deployMail(Vertx vertx, AppOptions.Mail mail, Pool pool, TenantRegistrySource tenants,
      Clock clock) {
    MailStore store = new MailStore(new TenantTransactions(pool), clock);
    Supplier<List<String>> ids = () -> tenants.configs().stream().map(c -> c.getString("id")).toList();
    Function<String, Optional<TenantMail>> tenantMail = id -> tenants.tenant(id).map(TenantMail::of);
    if (mail.smtpHost() != null) {
      MailConfig config = new MailConfig().setHostname(mail.smtpHost()).setPort(mail.smtpPort())
          .setOwnHostname(mail.hostname())
          .setStarttls(StartTLSOptions.valueOf(mail.smtpStartTls().toUpperCase(java.util.Locale.ROOT)));
      if (mail.smtpUser() != null) {
        config.setUsername(mail.smtpUser()).setPassword(mail.smtpPassword()).setLogin(LoginOption.REQUIRED);
      } else {
        config.setLogin(LoginOption.DISABLED);
      }
      vertx.deployVerticle(new MailDispatcherVerticle(store, ids, tenantMail, v -> new SmtpSender(v, config),
          MailDispatcherVerticle.Options.DEFAULTS.withInterval(mail.dispatchInterval()))).await();
    }
    Function<String, Optional<MailIntakeVerticle.Mailbox>> mailboxes = mail.imapHost() == null
        ? id -> Optional.empty()
        : id -> tenantMail.apply(id).filter(t -> !t.sender().domain().endsWith(".otklik.local")) // no mailbox
            .map(t -> new MailIntakeVerticle.Mailbox(mail.imapHost(), mail.imapPort(),
            mail.imapSsl(), t.sender().asciiAddress(), t.intake().mailboxPasswordEnv().map(System::getenv)
                .orElse(mail.imapPassword()), "INBOX"));
    MailIntake intake = new MailIntake(vertx, store, tenantMail, clock)
        .sla(id -> SlaTimerVerticle.clocksOf(id, tenants));
    vertx.deployVerticle(new MailIntakeVerticle(intake, ids, mailboxes, mail.pollInterval())).await();
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
