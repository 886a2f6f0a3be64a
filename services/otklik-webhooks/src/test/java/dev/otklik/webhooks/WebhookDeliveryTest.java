package dev.otklik.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.PgPools;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestClock;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.WebhookStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against a real PostgreSQL (events written by TicketStore, deliveries by the V014
 * trigger) and real HTTP receivers on 127.0.0.1. Each test runs the dispatcher on a Vert.x of its
 * own with its own pool, so closing it is like losing the node.
 */
class WebhookDeliveryTest {

  static final TenantTransactions tx = WebhookDesk.tx;
  private final List<Vertx> started = new ArrayList<>();
  private final List<Receiver> receivers = new ArrayList<>();

  @AfterEach
  void stopAll() {
    receivers.forEach(Receiver::close);
    started.forEach(v -> v.close().await());
  }

  private Receiver receiver(Receiver.Behaviour b) {
    Receiver r = Receiver.start(TestDatabase.vertx(), b);
    receivers.add(r);
    return r;
  }

  /** A dispatcher on a Vert.x of its own, with a pool of its own. */
  private Vertx dispatcher(Clock clock, List<String> tenants, WebhookOptions options, double jitter) {
    Vertx vertx = Vertx.vertx();
    started.add(vertx);
    WebhookStore store = new WebhookStore(new TenantTransactions(PgPools.create(vertx, TestDatabase.endpoint(), 4)),
        clock);
    vertx.deployVerticle(new WebhookDispatcherVerticle(store, () -> tenants, options, System::getenv,
        new RetrySchedule(() -> jitter))).await();
    return vertx;
  }

  private static WebhookOptions loopback() {
    return WebhookOptions.DEFAULTS.withAllowLoopback(true).withPollInterval(Duration.ofMillis(100));
  }

  private static WebhookStore.Endpoint endpoint(WebhookStore store, String tenantId, String url, String... types) {
    return store.createEndpoint(tenantId, new WebhookStore.EndpointDetails(url, "test", List.of(types), true),
        WebhookSigner.newSecret()).await();
  }

  static void awaitUntil(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(25);
    }
  }

  static long count(String sql, Object... args) {
    try {
      return Long.parseLong(WebhookDesk.column(sql, args).get(0));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Instant instant(String sql, Object... args) throws Exception {
    List<String> v = new ArrayList<>();
    try (var c = TestDatabase.superuserConnection(); var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1, OffsetDateTime.class).toInstant();
      }
    }
  }

  @Test
  @DisplayName("every event reaches the receiver signed (checked with plain javax.crypto), versioned, in order per request")
  void deliversSignedVersionedEventsInOrderPerRequest() throws Exception {
    WebhookDesk desk = new WebhookDesk(Clock.systemUTC());
    WebhookStore store = new WebhookStore(tx, Clock.systemUTC());
    java.util.Random random = new java.util.Random(7);
    Receiver r = receiver((req, body, i) -> TestDatabase.vertx().setTimer(1 + random.nextInt(30),
        t -> req.response().setStatusCode(200).end("ok")));
    WebhookStore.Endpoint e = endpoint(store, desk.tenantId, r.url(), "*");
    dispatcher(Clock.systemUTC(), List.of(desk.tenantId), loopback(), 0.5);

    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      numbers.add(desk.file("request " + i));
    }
    for (int round = 0; round < 3; round++) {
      for (String n : numbers) {
        desk.comment(n, "comment " + round + " on " + n);
      }
    }
    awaitUntil("20 deliveries are delivered", Duration.ofSeconds(30), () -> count(
        "SELECT count(*) FROM webhook_delivery WHERE tenant_id = ? AND state = 'delivered'", desk.tenantId) == 20);

    assertThat(r.received).hasSize(20);
    Map<String, List<Long>> sequencesByTicket = new HashMap<>();
    for (Receiver.Received got : r.received) {
      assertThat(Receiver.signatureValid(e.secret(), got)).as("signature of " + got.id()).isTrue();
      JsonObject json = got.json();
      assertThat(json.getInteger("version")).isEqualTo(1);
      assertThat(json.getString("type")).isIn("ticket.created", "ticket.comment-added");
      assertThat(json.getString("timestamp")).isNotBlank();
      JsonObject data = json.getJsonObject("data");
      assertThat(data.getString("tenantId")).isEqualTo(desk.tenantId);
      sequencesByTicket.computeIfAbsent(data.getString("number"), k -> new ArrayList<>())
          .add(data.getLong("sequence"));
    }
    assertThat(sequencesByTicket).hasSize(5);
    sequencesByTicket.forEach((number, seqs) -> assertThat(seqs).as(number).hasSize(4).isSorted());
    assertThat(count("SELECT count(*) FROM webhook_attempt WHERE tenant_id = ? AND response_status = 200"
        + " AND response_body = 'ok' AND attempt = 1 AND latency_ms >= 0", desk.tenantId)).isEqualTo(20);
  }

  @Test
  @DisplayName("failed attempts are retried on the schedule of the controllable clock, and a later event of the request waits")
  void retriesFollowTheScheduleAndHoldBackLaterEvents() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
    WebhookDesk desk = new WebhookDesk(clock);
    WebhookStore store = new WebhookStore(tx, clock);
    Receiver r = receiver((req, body, i) -> req.response().setStatusCode(i < 3 ? 500 : 204).end());
    endpoint(store, desk.tenantId, r.url(), "ticket.created", "ticket.comment-added");
    dispatcher(clock, List.of(desk.tenantId), loopback(), 0.5); // jitter factor exactly 1.0

    String number = desk.file("flaky receiver");
    desk.comment(number, "a later event of the same request");
    String created = WebhookDesk.column("SELECT id FROM webhook_delivery WHERE tenant_id = ? AND kind = ?",
        desk.tenantId, "ticket.created").get(0);
    for (int attempt = 1; attempt <= 3; attempt++) {
      int n = attempt;
      awaitUntil("attempt " + n + " is recorded", Duration.ofSeconds(10), () -> count(
          "SELECT count(*) FROM webhook_attempt WHERE tenant_id = ?", desk.tenantId) == n);
      awaitUntil("the lease is released", Duration.ofSeconds(5), () -> count(
          "SELECT count(*) FROM webhook_delivery WHERE tenant_id = ? AND claimed_until IS NOT NULL",
          desk.tenantId) == 0);
      Instant next = instant("SELECT next_attempt_at FROM webhook_delivery WHERE id = ?::uuid", created);
      assertThat(next).as("next attempt after attempt " + n)
          .isEqualTo(clock.instant().plus(RetrySchedule.DELAYS.get(n - 1)));
      Thread.sleep(300); // several polls: nothing is due, and the comment must wait for the created event
      assertThat(r.received).as("requests after attempt " + n).hasSize(n);
      clock.advance(RetrySchedule.DELAYS.get(n - 1));
    }
    awaitUntil("both events are delivered", Duration.ofSeconds(10), () -> r.received.size() == 5);
    List<String> types = r.received.stream().map(x -> x.json().getString("type")).toList();
    assertThat(types).containsExactly("ticket.created", "ticket.created", "ticket.created", "ticket.created",
        "ticket.comment-added");
    assertThat(r.received.subList(0, 4)).extracting(Receiver.Received::id).containsOnly(created);
  }

  @Test
  @DisplayName("429 with Retry-After waits exactly that long; 410 switches the endpoint off and it gets no new deliveries")
  void retryAfterIsHonouredAndGoneDisables() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
    WebhookDesk desk = new WebhookDesk(clock);
    WebhookStore store = new WebhookStore(tx, clock);
    Receiver busy = receiver((req, body, i) -> {
      if (i == 0) {
        req.response().setStatusCode(429).putHeader("Retry-After", "120").end();
      } else {
        req.response().setStatusCode(204).end();
      }
    });
    Receiver gone = receiver((req, body, i) -> req.response().setStatusCode(410).end());
    WebhookStore.Endpoint b = endpoint(store, desk.tenantId, busy.url(), "ticket.created");
    WebhookStore.Endpoint g = endpoint(store, desk.tenantId, gone.url(), "ticket.created");
    dispatcher(clock, List.of(desk.tenantId), loopback(), 0.5);

    desk.file("rate limited");
    awaitUntil("both endpoints answered once", Duration.ofSeconds(10), () -> count(
        "SELECT count(*) FROM webhook_attempt WHERE tenant_id = ?", desk.tenantId) == 2);
    awaitUntil("leases released", Duration.ofSeconds(5), () -> count(
        "SELECT count(*) FROM webhook_delivery WHERE tenant_id = ? AND claimed_until IS NOT NULL", desk.tenantId) == 0);
    assertThat(instant("SELECT next_attempt_at FROM webhook_delivery WHERE endpoint_id = ?", b.id()))
        .isEqualTo(clock.instant().plusSeconds(120));
    assertThat(WebhookDesk.column("SELECT enabled || ' ' || disabled_reason FROM webhook_endpoint WHERE id = ?",
        g.id()).get(0)).startsWith("false gone");
    assertThat(WebhookDesk.column("SELECT state FROM webhook_delivery WHERE endpoint_id = ?", g.id()))
        .containsExactly("failed");

    clock.advance(Duration.ofSeconds(119));
    Thread.sleep(300);
    assertThat(busy.received).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    awaitUntil("the rate-limited delivery goes through", Duration.ofSeconds(10), () -> busy.received.size() == 2);

    desk.file("after the 410");
    awaitUntil("the second event reaches the live endpoint", Duration.ofSeconds(10), () -> busy.received.size() == 3);
    assertThat(gone.received).hasSize(1);
    assertThat(count("SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ?", g.id())).isEqualTo(1);
  }

  @Test
  @DisplayName("an endpoint failing for five days is switched off and its tenant admins get a mail row")
  void failingForFiveDaysDisablesAndTellsAdmins() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
    WebhookDesk desk = new WebhookDesk(clock);
    WebhookStore store = new WebhookStore(tx, clock);
    Receiver broken = receiver((req, body, i) -> req.response().setStatusCode(503).end("down"));
    WebhookStore.Endpoint e = endpoint(store, desk.tenantId, broken.url(), "*");
    dispatcher(clock, List.of(desk.tenantId), loopback(), 0.5);

    desk.file("into the void");
    awaitUntil("first failure", Duration.ofSeconds(10), () -> broken.received.size() == 1);
    awaitUntil("recorded", Duration.ofSeconds(5), () -> count(
        "SELECT count(*) FROM webhook_endpoint WHERE id = ? AND failing_since IS NOT NULL", e.id()) == 1);
    clock.advance(Duration.ofDays(5));
    desk.file("five days later");
    awaitUntil("the endpoint is switched off", Duration.ofSeconds(10), () -> count(
        "SELECT count(*) FROM webhook_endpoint WHERE id = ? AND NOT enabled", e.id()) == 1);
    assertThat(WebhookDesk.column("SELECT disabled_reason FROM webhook_endpoint WHERE id = ?", e.id()).get(0))
        .startsWith("failing since");
    List<String> mail = WebhookDesk.column(
        "SELECT payload::text FROM mail_outbox WHERE tenant_id = ? AND kind = 'webhook-endpoint-disabled'",
        desk.tenantId);
    assertThat(mail).hasSize(1);
    JsonObject payload = new JsonObject(mail.get(0));
    assertThat(payload.getJsonArray("to")).hasSize(1);
    assertThat(payload.getJsonObject("values").getString("url")).isEqualTo(broken.url());
  }

  @Test
  @DisplayName("at delivery time, loopback, private, metadata addresses and a name resolving to loopback are refused without traffic")
  void internalAddressesAreRefusedAtDelivery() throws Exception {
    WebhookDesk desk = new WebhookDesk(Clock.systemUTC());
    WebhookStore store = new WebhookStore(tx, Clock.systemUTC());
    Receiver r = receiver(Receiver.OK);
    // Written straight into the store, past the API's registration check.
    List<String> urls = List.of(r.url(), "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data",
        "http://localhost:" + r.port() + "/hook");
    for (String url : urls) {
      endpoint(store, desk.tenantId, url, "*");
    }
    dispatcher(Clock.systemUTC(), List.of(desk.tenantId), WebhookOptions.DEFAULTS
        .withPollInterval(Duration.ofMillis(100)), 0.5);
    desk.file("aimed inwards");
    awaitUntil("four refused attempts", Duration.ofSeconds(10), () -> count(
        "SELECT count(*) FROM webhook_attempt WHERE tenant_id = ? AND error LIKE 'refused:%'", desk.tenantId) == 4);
    assertThat(r.received).isEmpty();
    assertThat(count("SELECT count(*) FROM webhook_delivery WHERE tenant_id = ? AND state = 'pending'",
        desk.tenantId)).isEqualTo(4);
  }

  @Test
  @DisplayName("a test event, a redelivery of one message and of a time range go again with the same webhook-id")
  void testEventAndRedelivery() throws Exception {
    WebhookDesk desk = new WebhookDesk(Clock.systemUTC());
    WebhookStore store = new WebhookStore(tx, Clock.systemUTC());
    Receiver r = receiver(Receiver.OK);
    WebhookStore.Endpoint e = endpoint(store, desk.tenantId, r.url(), "ticket.created");
    dispatcher(Clock.systemUTC(), List.of(desk.tenantId), loopback(), 0.5);
    UUID test = store.insertDelivery(desk.tenantId, e.id(), WebhookMessages.TEST_KIND,
        new JsonObject().put("tenantId", desk.tenantId).put("test", true)).await();
    desk.file("one");
    awaitUntil("two messages", Duration.ofSeconds(10), () -> count(
        "SELECT count(*) FROM webhook_delivery WHERE tenant_id = ? AND state = 'delivered'", desk.tenantId) == 2);
    assertThat(r.received).extracting(x -> x.json().getString("type"))
        .containsExactlyInAnyOrder("webhook.test", "ticket.created");

    assertThat(store.redeliver(desk.tenantId, e.id(), test).await()).isTrue();
    awaitUntil("the test event again", Duration.ofSeconds(10), () -> r.received.size() == 3);
    assertThat(r.received.get(2).id()).isEqualTo(test.toString());

    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    awaitUntil("redelivered test delivered", Duration.ofSeconds(10), () -> count(
        "SELECT count(*) FROM webhook_delivery WHERE tenant_id = ? AND state = 'delivered'", desk.tenantId) == 2);
    assertThat(store.redeliverRange(desk.tenantId, e.id(), now.minusHours(1), now.plusMinutes(1)).await())
        .isEqualTo(2);
    awaitUntil("both again", Duration.ofSeconds(10), () -> r.received.size() == 5);
    assertThat(r.received.subList(3, 5)).extracting(Receiver.Received::id)
        .containsExactlyInAnyOrderElementsOf(r.received.subList(0, 2).stream().map(Receiver.Received::id).toList());
    assertThat(store.listAttempts(desk.tenantId, e.id(), 0, 50).await().total()).isEqualTo(5);
  }

  @Test
  @DisplayName("after a rotation both secrets sign until the overlap ends; the log is deleted after 30 days")
  void rotationSignsWithBothSecretsAndOldLogIsDeleted() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
    WebhookDesk desk = new WebhookDesk(clock);
    WebhookStore store = new WebhookStore(tx, clock);
    Receiver r = receiver(Receiver.OK);
    WebhookStore.Endpoint before = endpoint(store, desk.tenantId, r.url(), "*");
    WebhookStore.Endpoint after = store.rotateSecret(desk.tenantId, before.id(), WebhookSigner.newSecret(),
        Duration.ofHours(24)).await().orElseThrow();
    dispatcher(clock, List.of(desk.tenantId), loopback(), 0.5);
    desk.file("during the overlap");
    awaitUntil("delivered", Duration.ofSeconds(10), () -> r.received.size() == 1);
    Receiver.Received first = r.received.get(0);
    assertThat(first.signature().split(" ")).hasSize(2);
    assertThat(Receiver.signatureValid(before.secret(), first)).isTrue();
    assertThat(Receiver.signatureValid(after.secret(), first)).isTrue();

    clock.advance(Duration.ofHours(25));
    desk.file("after the overlap");
    awaitUntil("delivered", Duration.ofSeconds(10), () -> r.received.size() == 2);
    Receiver.Received second = r.received.get(1);
    assertThat(second.signature().split(" ")).hasSize(1);
    assertThat(Receiver.signatureValid(after.secret(), second)).isTrue();
    assertThat(Receiver.signatureValid(before.secret(), second)).isFalse();

    awaitUntil("both recorded", Duration.ofSeconds(5), () -> count(
        "SELECT count(*) FROM webhook_delivery WHERE tenant_id = ? AND state = 'delivered'", desk.tenantId) == 2);
    clock.advance(Duration.ofDays(29));
    assertThat(store.cleanup(desk.tenantId).await()).isEqualTo(1);
    clock.advance(Duration.ofDays(2));
    assertThat(store.cleanup(desk.tenantId).await()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM webhook_delivery WHERE tenant_id = ?", desk.tenantId)).isZero();
  }

  @Test
  @DisplayName("a node killed mid-delivery while events keep coming: after restart every event arrives, duplicates share a webhook-id")
  void nodeKilledMidDeliveryLosesNothing() throws Exception {
    WebhookDesk desk = new WebhookDesk(Clock.systemUTC());
    WebhookStore store = new WebhookStore(tx, Clock.systemUTC());
    Receiver r = receiver((req, body, i) -> TestDatabase.vertx().setTimer(80,
        t -> req.response().setStatusCode(204).end()));
    endpoint(store, desk.tenantId, r.url(), "*");
    WebhookOptions options = new WebhookOptions(Duration.ofMillis(50), Duration.ofSeconds(15), 4,
        Duration.ofSeconds(2), true, Duration.ofHours(24));
    Vertx first = dispatcher(Clock.systemUTC(), List.of(desk.tenantId), options, 0.5);

    List<Throwable> producerErrors = new CopyOnWriteArrayList<>();
    Thread producer = new Thread(() -> {
      try {
        for (int i = 0; i < 12; i++) {
          String n = desk.file("steady " + i);
          desk.comment(n, "first");
          desk.comment(n, "second");
          Thread.sleep(100);
        }
      } catch (Throwable t) {
        producerErrors.add(t);
      }
    });
    producer.start();
    awaitUntil("some deliveries made", Duration.ofSeconds(20), () -> r.received.size() >= 6);
    first.close().await(); // the node dies: in-flight attempts are cut off, their rows stay leased
    started.remove(first);
    int atKill = r.received.size();
    Thread.sleep(500);
    dispatcher(Clock.systemUTC(), List.of(desk.tenantId), options, 0.5);
    producer.join();
    assertThat(producerErrors).isEmpty();
    awaitUntil("all 36 deliveries delivered", Duration.ofSeconds(60), () -> count(
        "SELECT count(*) FROM webhook_delivery WHERE tenant_id = ? AND state = 'delivered'", desk.tenantId) == 36);

    List<String> ids = WebhookDesk.column("SELECT id FROM webhook_delivery WHERE tenant_id = ?", desk.tenantId);
    assertThat(ids).hasSize(36);
    assertThat(r.received.stream().map(Receiver.Received::id).distinct().toList())
        .containsExactlyInAnyOrderElementsOf(ids);
    Map<Long, List<String>> idsBySequence = new HashMap<>();
    for (Receiver.Received got : r.received) {
      idsBySequence.computeIfAbsent(got.json().getJsonObject("data").getLong("sequence"), k -> new ArrayList<>())
          .add(got.id());
    }
    idsBySequence.values().forEach(v -> assertThat(v.stream().distinct()).hasSize(1));
    System.out.printf("fault test: %d received before the kill, %d requests for 36 events (%d duplicates)%n",
        atKill, r.received.size(), r.received.size() - 36);
  }

  @Test
  @DisplayName("a config endpoint signs with the secret its environment variable holds; one dropped from the file is switched off")
  void configEndpointSignsWithSecretFromEnvironment() throws Exception {
    WebhookDesk desk = new WebhookDesk(Clock.systemUTC());
    WebhookStore store = new WebhookStore(tx, Clock.systemUTC());
    Receiver r = receiver(Receiver.OK);
    String secret = WebhookSigner.newSecret();
    Map<String, String> env = Map.of("OTKLIK_WEBHOOK_TEST_JIRA", secret);
    List<WebhookStore.Endpoint> synced = store.syncConfigEndpoints(desk.tenantId, List.of(
        new WebhookStore.ConfigEndpoint("jira", new WebhookStore.EndpointDetails(r.url(), "Jira",
            List.of("ticket.created"), true), "OTKLIK_WEBHOOK_TEST_JIRA"),
        new WebhookStore.ConfigEndpoint("unset", new WebhookStore.EndpointDetails(r.url(), null,
            List.of("ticket.created"), true), "OTKLIK_WEBHOOK_TEST_UNSET"))).await();
    assertThat(synced).extracting(WebhookStore.Endpoint::secret).containsOnlyNulls();
    Vertx vertx = Vertx.vertx();
    started.add(vertx);
    WebhookStore own = new WebhookStore(new TenantTransactions(PgPools.create(vertx, TestDatabase.endpoint(), 4)),
        Clock.systemUTC());
    vertx.deployVerticle(new WebhookDispatcherVerticle(own, () -> List.of(desk.tenantId), loopback(), env::get,
        new RetrySchedule(() -> 0.5))).await();

    desk.file("to jira");
    awaitUntil("the jira endpoint has it", Duration.ofSeconds(10), () -> r.received.size() == 1);
    assertThat(Receiver.signatureValid(secret, r.received.get(0))).isTrue();
    awaitUntil("the unset one logged its problem", Duration.ofSeconds(10), () -> count(
        "SELECT count(*) FROM webhook_attempt WHERE endpoint_id = ? AND error LIKE '%OTKLIK_WEBHOOK_TEST_UNSET is not set%'",
        synced.get(1).id()) == 1);

    // The file changes: jira is dropped, the other is switched off in the file.
    store.syncConfigEndpoints(desk.tenantId, List.of(new WebhookStore.ConfigEndpoint("unset",
        new WebhookStore.EndpointDetails(r.url(), null, List.of("ticket.created"), false),
        "OTKLIK_WEBHOOK_TEST_UNSET"))).await();
    assertThat(WebhookDesk.column("SELECT config_key || ':' || enabled || ':' || disabled_reason FROM webhook_endpoint"
        + " WHERE tenant_id = ? ORDER BY config_key", desk.tenantId))
        .containsExactly("jira:false:removed from tenant config", "unset:false:disabled in tenant config");
    // Back in the file: switched on again, keeping its id.
    List<WebhookStore.Endpoint> back = store.syncConfigEndpoints(desk.tenantId, List.of(
        new WebhookStore.ConfigEndpoint("jira", new WebhookStore.EndpointDetails(r.url(), "Jira",
            List.of("ticket.created"), true), "OTKLIK_WEBHOOK_TEST_JIRA"))).await();
    assertThat(back.get(0).id()).isEqualTo(synced.get(0).id());
    assertThat(back.get(0).enabled()).isTrue();
  }

  @Test
  @DisplayName("a receiver that always fails gets 14 attempts over about three days on the clock, then the message is failed")
  void givesUpAfterTheLastAttempt() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
    Instant start = clock.instant();
    WebhookDesk desk = new WebhookDesk(clock);
    WebhookStore store = new WebhookStore(tx, clock);
    Receiver r = receiver((req, body, i) -> req.response().setStatusCode(502).end());
    WebhookStore.Endpoint e = endpoint(store, desk.tenantId, r.url(), "ticket.created");
    dispatcher(clock, List.of(desk.tenantId), loopback(), 0.5);
    desk.file("never accepted");
    for (int attempt = 1; attempt <= RetrySchedule.maxAttempts(); attempt++) {
      int n = attempt;
      awaitUntil("attempt " + n + " recorded", Duration.ofSeconds(10), () -> count(
          "SELECT count(*) FROM webhook_attempt WHERE endpoint_id = ?", e.id()) == n);
      awaitUntil("lease released", Duration.ofSeconds(5), () -> count(
          "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ? AND claimed_until IS NOT NULL", e.id()) == 0);
      if (n < RetrySchedule.maxAttempts()) {
        clock.advance(RetrySchedule.DELAYS.get(n - 1));
      }
    }
    assertThat(WebhookDesk.column("SELECT state FROM webhook_delivery WHERE endpoint_id = ?", e.id()))
        .containsExactly("failed");
    assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(75 * 3600 + 42 * 60 + 35));
    clock.advance(Duration.ofDays(1));
    Thread.sleep(300);
    assertThat(r.received).hasSize(RetrySchedule.maxAttempts());
    assertThat(r.received.stream().map(Receiver.Received::id).distinct()).hasSize(1);
    // Three days of failures are not yet five: the endpoint stays on.
    assertThat(count("SELECT count(*) FROM webhook_endpoint WHERE id = ? AND enabled", e.id())).isEqualTo(1);
  }

  @Test
  @DisplayName("the post-commit signal on the tenant's event address starts delivery without waiting for the next poll")
  void commitSignalStartsDeliveryAtOnce() throws Exception {
    WebhookDesk desk = new WebhookDesk(Clock.systemUTC());
    WebhookStore store = new WebhookStore(tx, Clock.systemUTC());
    Receiver r = receiver(Receiver.OK);
    endpoint(store, desk.tenantId, r.url(), "*");
    Vertx node = dispatcher(Clock.systemUTC(), List.of(desk.tenantId),
        WebhookOptions.DEFAULTS.withAllowLoopback(true).withPollInterval(Duration.ofMinutes(10)), 0.5);
    Thread.sleep(300); // the first pass at start has run
    desk.file("signalled");
    long t = System.nanoTime();
    node.eventBus().publish(dev.otklik.core.EventBusAddresses.tenantEvents(desk.tenantId), new JsonObject());
    awaitUntil("delivered long before the 10-minute poll", Duration.ofSeconds(5), () -> r.received.size() == 1);
    System.out.printf("signalled delivery: %.1f ms from signal to receiver%n", (r.received.get(0).atNanos() - t) / 1e6);
  }
}
