package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.OtklikException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {

  @Test
  @DisplayName("GET /metrics serves Prometheus text with JVM, HTTP server and event-loop lag metrics; with an admin token it needs the token")
  void servesPrometheusMetrics() throws Exception {
    NodeMetrics metrics = new NodeMetrics("metrics-token");
    Vertx vertx = metrics.builder(new VertxOptions()).build();
    try {
      metrics.watchEventLoops(vertx, 2);
      Router router = Router.router(vertx);
      metrics.addRoutes(vertx, router);
      router.route().failureHandler(ctx -> ctx.response()
          .setStatusCode(ctx.failure() instanceof OtklikException e ? e.status() : 500).end());
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
      WebClient client = WebClient.create(vertx);
      Thread.sleep(3 * NodeMetrics.LAG_PROBE_INTERVAL.toMillis());

      assertThat(client.get(server.actualPort(), "127.0.0.1", "/metrics").send().await().statusCode()).isEqualTo(401);
      HttpResponse<Buffer> page = client.get(server.actualPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Bearer metrics-token").send().await();
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.getHeader("Content-Type")).startsWith("text/plain");
      assertThat(page.bodyAsString())
          .contains("otklik_event_loop_lag_seconds_count{loop=\"0\"}")
          .contains("otklik_event_loop_lag_seconds{loop=\"0\",quantile=\"0.99\"}")
          .contains("jvm_memory_used_bytes")
          .contains("vertx_http_server_requests_total{code=\"401\",method=\"GET\"}")
          .doesNotContain("/metrics");
    } finally {
      vertx.close().await();
    }
  }
}
