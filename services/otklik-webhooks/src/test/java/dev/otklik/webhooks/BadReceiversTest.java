package dev.otklik.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.PgPools;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.WebhookStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A healthy endpoint next to four bad ones (hangs, 500, 410, slow with a huge body): each bad one
 * gets what the rules say, and the healthy one's latency is printed with and without them. No
 * timing assertion beyond a generous sanity bound.
 */
class BadReceiversTest {

  private static final int EVENTS = 30;
  private final List<Receiver> receivers = new ArrayList<>();
  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void stopAll() {
    started.forEach(v -> v.close().await());
    receivers.forEach(Receiver::close);
  }

  private Receiver receiver(Receiver.Behaviour b) {
    Receiver r = Receiver.start(TestDatabase.vertx(), b);
    receivers.add(r);
    return r;
  }

  private record Latencies(double median, double p95, double max) {}

  /** Files EVENTS requests 50 ms apart and measures commit-to-received at the healthy receiver. */
  private Latencies run(WebhookDesk desk, Receiver healthy) throws Exception {
    Map<String, Long> filedAt = new ConcurrentHashMap<>();
    for (int i = 0; i < EVENTS; i++) {
      long t = System.nanoTime();
      String n = desk.file("latency " + i);
      filedAt.put(n, t);
      Thread.sleep(50);
    }
    WebhookDeliveryTest.awaitUntil("the healthy receiver has every event", Duration.ofSeconds(30),
        () -> healthy.received.size() >= EVENTS);
    List<Double> ms = new ArrayList<>();
    for (Receiver.Received r : healthy.received) {
      Long t = filedAt.get(r.json().getJsonObject("data").getString("number"));
      ms.add((r.atNanos() - t) / 1e6);
    }
    Collections.sort(ms);
    return new Latencies(ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.95) - 1), ms.get(ms.size() - 1));
  }

  private void dispatcher(String tenantId) {
    Vertx vertx = Vertx.vertx();
    started.add(vertx);
    WebhookStore store = new WebhookStore(new TenantTransactions(PgPools.create(vertx, TestDatabase.endpoint(), 4)),
        Clock.systemUTC());
    vertx.deployVerticle(new WebhookDispatcherVerticle(store, () -> List.of(tenantId),
        WebhookOptions.DEFAULTS.withAllowLoopback(true).withPollInterval(Duration.ofMillis(100)))).await();
  }

  private static WebhookStore.Endpoint endpoint(String tenantId, String url) {
    return new WebhookStore(WebhookDesk.tx, Clock.systemUTC()).createEndpoint(tenantId,
        new WebhookStore.EndpointDetails(url, null, List.of("*"), true), WebhookSigner.newSecret()).await();
  }

  @Test
  @DisplayName("a hanging, a failing, a gone and a slow huge receiver each behave as specified and do not hold up a healthy one")
  void badReceiversDoNotSlowAHealthyOne() throws Exception {
    // Baseline: the healthy endpoint alone.
    WebhookDesk alone = new WebhookDesk(Clock.systemUTC());
    Receiver healthyAlone = receiver(Receiver.OK);
    endpoint(alone.tenantId, healthyAlone.url());
    dispatcher(alone.tenantId);
    run(alone, healthyAlone); // warm-up: JIT, pools, connections
    healthyAlone.received.clear();
    Latencies baseline = run(alone, healthyAlone);

    // The same next to four bad receivers.
    WebhookDesk crowded = new WebhookDesk(Clock.systemUTC());
    Receiver healthy = receiver(Receiver.OK);
    Receiver hangs = receiver((req, body, i) -> { /* never answers */ });
    Receiver fails = receiver((req, body, i) -> req.response().setStatusCode(500).end("boom"));
    Receiver gone = receiver((req, body, i) -> req.response().setStatusCode(410).end());
    Receiver slowHuge = receiver((req, body, i) -> {
      var resp = req.response().setChunked(true).setStatusCode(200);
      Buffer chunk = Buffer.buffer("x".repeat(64 * 1024));
      resp.write(Buffer.buffer("accepted "));
      long[] sent = {0};
      long id = TestDatabase.vertx().setPeriodic(100, t -> {
        if (resp.closed() || resp.ended() || sent[0]++ > 300) {
          TestDatabase.vertx().cancelTimer(t);
          if (!resp.closed() && !resp.ended()) {
            resp.end();
          }
          return;
        }
        resp.write(chunk);
      });
      resp.closeHandler(v -> TestDatabase.vertx().cancelTimer(id));
    });
    WebhookStore.Endpoint h = endpoint(crowded.tenantId, healthy.url());
    WebhookStore.Endpoint hang = endpoint(crowded.tenantId, hangs.url());
    WebhookStore.Endpoint fail = endpoint(crowded.tenantId, fails.url());
    WebhookStore.Endpoint g = endpoint(crowded.tenantId, gone.url());
    WebhookStore.Endpoint slow = endpoint(crowded.tenantId, slowHuge.url());
    dispatcher(crowded.tenantId);
    Latencies withBad = run(crowded, healthy);

    System.out.printf("healthy endpoint, %d events: alone median %.1f ms, p95 %.1f ms, max %.1f ms;"
            + " next to hanging/500/410/slow-huge receivers median %.1f ms, p95 %.1f ms, max %.1f ms%n",
        EVENTS, baseline.median(), baseline.p95(), baseline.max(), withBad.median(), withBad.p95(), withBad.max());
    assertThat(withBad.max()).as("sanity bound, ms").isLessThan(10_000);

    // The hanging endpoint holds at most its own slots (4 per node) and nothing is recorded yet.
    assertThat(hangs.received.size()).isBetween(1, WebhookOptions.DEFAULTS.perEndpoint());
    // 500: every first attempt failed and is waiting for its retry.
    assertThat(WebhookDeliveryTest.count("SELECT count(*) FROM webhook_attempt WHERE endpoint_id = ?"
        + " AND response_status = 500 AND response_body = 'boom'", fail.id())).isGreaterThanOrEqualTo(1);
    // 410: switched off at the first answer; only attempts already in flight (its slots) were sent.
    assertThat(gone.received.size()).isBetween(1, WebhookOptions.DEFAULTS.perEndpoint());
    assertThat(WebhookDeliveryTest.count("SELECT count(*) FROM webhook_endpoint WHERE id = ? AND NOT enabled",
        g.id())).isEqualTo(1);
    // Slow and huge: the status decides, only the first KiB is logged, the rest is not read.
    WebhookDeliveryTest.awaitUntil("slow receiver's deliveries recorded", Duration.ofSeconds(30), () ->
        WebhookDeliveryTest.count("SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ? AND state = 'delivered'",
            slow.id()) == EVENTS);
    assertThat(WebhookDeliveryTest.count("SELECT max(length(response_body)) FROM webhook_attempt"
        + " WHERE endpoint_id = ?", slow.id())).isLessThanOrEqualTo(1024);
    assertThat(WebhookDeliveryTest.count("SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ?"
        + " AND state = 'delivered'", h.id())).isEqualTo(EVENTS);
    assertThat(hang.enabled()).isTrue();
  }
}
