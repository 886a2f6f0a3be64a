package dev.otklik.app;

import dev.otklik.api.AdminHandler;
import dev.otklik.api.RouteContributor;
import dev.otklik.core.OtklikException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics of one node at {@code GET /metrics}: Vert.x's own (HTTP server, pools, event
 * bus), the JVM's (memory, GC, threads), and {@code otklik_event_loop_lag_seconds}, how late a
 * task scheduled on each event loop runs, which shows blocking work or overload before requests
 * time out. Labels stay low-cardinality: method and status, never paths with tenant ids; event bus
 * metrics are not labelled by address either, since every tenant has its own event addresses
 * (and a label per address cost each published event a meter lookup by tenant).
 *
 * <p>Scrapers present the admin token ({@code Authorization: Bearer ...}); without one configured,
 * only loopback callers get the page (others: 403 {@code admin.disabled}).
 */
final class NodeMetrics implements RouteContributor {

  static final Duration LAG_PROBE_INTERVAL = Duration.ofMillis(100);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String adminToken;

  NodeMetrics(String adminToken) {
    this.adminToken = adminToken;
  }

  /** Vert.x with this registry collecting its metrics. */
  VertxBuilder builder(VertxOptions options) {
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
            Label.EB_FAILURE, Label.EB_SIDE)));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }

  /**
   * Starts the lag probes: one timer chain per event loop (contexts are handed out round-robin,
   * so {@code loops} fresh contexts cover every loop once). Each closes with Vert.x.
   */
  void watchEventLoops(Vertx vertx, int loops) {
    for (int i = 0; i < loops; i++) {
      // p50/p99 besides the max: a single stall (a full GC) owns the max for its two-minute
      // window, while a lag that grows shows in the p99 of the window's 1,200 probes
      Timer lag = Timer.builder("otklik.event.loop.lag")
          .description("How late a timer set on the event loop fired")
          .publishPercentiles(0.5, 0.99)
          .tag("loop", Integer.toString(i)).register(registry);
      Context context = vertx.getOrCreateContext();
      context.runOnContext(v -> probe(vertx, lag));
    }
  }

  private static void probe(Vertx vertx, Timer lag) {
    long due = System.nanoTime() + LAG_PROBE_INTERVAL.toNanos();
    vertx.setTimer(LAG_PROBE_INTERVAL.toMillis(), id -> {
      lag.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
      probe(vertx, lag);
    });
  }

  @Override
  public void addRoutes(Vertx vertx, Router router) {
    var route = router.get("/metrics");
    if (adminToken != null) {
      route.handler(new AdminHandler(null, adminToken)::requireAdmin);
    } else {
      route.handler(NodeMetrics::requireLoopback);
    }
    route.handler(this::scrape);
  }

  private void scrape(RoutingContext ctx) {
    ctx.vertx().executeBlocking(registry::scrape)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(ctx::fail);
  }

  private static void requireLoopback(RoutingContext ctx) {
    try {
      if (InetAddress.getByName(ctx.request().remoteAddress().hostAddress()).isLoopbackAddress()) {
        ctx.next();
        return;
      }
    } catch (UnknownHostException e) {
      // not an address literal: refused below
    }
    ctx.fail(OtklikException.forbidden("admin.disabled"));
  }
}
