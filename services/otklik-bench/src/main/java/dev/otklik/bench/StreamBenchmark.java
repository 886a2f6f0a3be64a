package dev.otklik.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The WebSocket gateway against a real node started from the runnable jar.
 *
 * <p>{@code sockets}: resident memory per idle socket. Baseline: the bare node's RSS (after a
 * warm-up of a few hundred sockets opened and closed, and a full GC). Then {@code connections}
 * agent sockets are opened and subscribed to the queue and left idle; RSS and heap after a full
 * GC again; the difference divided by the number of sockets.
 *
 * <p>{@code stream-latency}: {@code sockets} agent sockets spread over the five seed tenants,
 * subscribed to their tenant's queue, while a driver adds internal notes through REST at
 * {@code rate} per second, round-robin over the tenants. For every event frame: the time from the
 * REST answer (the change is committed before the 2xx) to the frame's arrival, and from the
 * request's sending. Baseline: the REST round trip of the same changes.
 */
final class StreamBenchmark {

  static final List<String> TENANTS = List.of("amber-crm", "asmo", "cik-alekon", "imc", "risk-pro");

  private final Path appJar;
  private final Path tenantConfig;
  private final Map<String, String> settings;

  StreamBenchmark(Path appJar, Path tenantConfig, Map<String, String> settings) {
    this.appJar = appJar;
    this.tenantConfig = tenantConfig;
    this.settings = settings;
  }

  private int setting(String key, int fallback) {
    return settings.containsKey(key) ? Integer.parseInt(settings.get(key)) : fallback;
  }

  /** One tenant prepared for the run: an agent's token and a request to add notes to. */
  record Desk(String tenant, String agentToken, String requestNumber) {}

  // ---------------------------------------------------------------- sockets (memory)

  void sockets(PrintStream out) throws Exception {
    int connections = setting("connections", 10_000);
    List<String> jvm = List.of(settings.getOrDefault("node-jvm", "-Xmx1g").split(" "));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try (NodeProcess node = NodeProcess.start(appJar, tenantConfig, jvm, "--http.instances=2")) {
      HttpClient http = http(vertx);
      Desk desk = desk(http, node.port, "asmo");
      WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(connections + 1000).setConnectTimeout(60_000));

      // Warm-up: the gateway's classes, the tenant's consumer, the JIT; then the baseline.
      List<WebSocket> warm = open(ws, List.of(node.port), List.of(desk), 300, null);
      for (WebSocket w : warm) {
        w.close().await();
      }
      Thread.sleep(2000);
      long heapBase = node.heapUsedAfterGcKiB();
      long rssBase = node.residentKiB();
      out.printf("baseline: bare node after warm-up: RSS %,d KiB, heap in use after GC %,d KiB%n", rssBase, heapBase);

      long t0 = System.nanoTime();
      List<WebSocket> idle = open(ws, List.of(node.port), List.of(desk), connections, null);
      out.printf("opened and subscribed %,d sockets in %.1f s%n", idle.size(), (System.nanoTime() - t0) / 1e9);
      Thread.sleep(5000);
      long heapAfter = node.heapUsedAfterGcKiB();
      long rssAfter = node.residentKiB();
      out.printf("with %,d idle sockets: RSS %,d KiB (+%,d), heap in use after GC %,d KiB (+%,d)%n",
          connections, rssAfter, rssAfter - rssBase, heapAfter, heapAfter - heapBase);
      out.printf("per idle socket: %.1f KiB resident, %.1f KiB heap (goal < 50 KB)%n",
          (rssAfter - rssBase) / (double) connections, (heapAfter - heapBase) / (double) connections);
      for (WebSocket w : idle) {
        w.close();
      }
    } finally {
      vertx.close().await();
    }
  }

  // ---------------------------------------------------------------- stream-latency

  void streamLatency(PrintStream out) throws Exception {
    int sockets = setting("sockets", 1000);
    int rate = setting("rate", 200);
    int seconds = setting("seconds", 30);
    int warmupSeconds = setting("warmup", 5);
    int tenantCount = setting("tenants", 50);
    List<String> jvm = List.of(settings.getOrDefault("node-jvm", "-Xmx1g").split(" "));
    List<String> tenantIds = new ArrayList<>(TENANTS);
    Path config = tenantConfig;
    if (tenantCount > TENANTS.size()) {
      config = withCopiesOfAsmo(tenantConfig, tenantCount - TENANTS.size(), tenantIds);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    int nodeCount = setting("nodes", 1);
    int instances = setting("node-instances", 2);
    try (Cluster cluster = Cluster.start(appJar, config, jvm, nodeCount, instances)) {
      NodeProcess node = cluster.nodes.get(0);
      List<Integer> ports = cluster.nodes.stream().map(n -> n.port).toList();
      HttpClient http = http(vertx);
      if (nodeCount > 1) {
        cluster.awaitMembers(http(vertx), nodeCount);
        out.printf("%d nodes on loopback, one PostgreSQL; sockets and changes spread round-robin%n", nodeCount);
      }
      List<Desk> desks = new ArrayList<>();
      for (String t : tenantIds.subList(0, Math.min(tenantCount, tenantIds.size()))) {
        desks.add(desk(http, node.port, t));
      }
      // body id -> {sent, answered} in nanos; answered 0 until the 2xx arrives
      Map<String, long[]> changes = new ConcurrentHashMap<>();
      Samples fromAnswer = new Samples();
      Samples fromSend = new Samples();
      Samples roundTrip = new Samples();
      AtomicLong received = new AtomicLong();
      AtomicLong early = new AtomicLong();
      AtomicInteger measuring = new AtomicInteger(); // 0 warm-up, 1 measuring, 2 draining
      WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(sockets + 100).setConnectTimeout(60_000));
      List<WebSocket> open = open(ws, ports, desks, sockets, text -> {
        if (!text.startsWith("{\"type\":\"event\"")) {
          return;
        }
        long now = System.nanoTime();
        // the driver's marker, found without decoding the whole frame (the client shares the CPUs)
        int at = text.indexOf("\"body\":\"bench-");
        String body = at < 0 ? null : text.substring(at + 8, text.indexOf('"', at + 8));
        long[] times = body == null ? null : changes.get(body);
        if (times == null) {
          return;
        }
        received.incrementAndGet();
        if (times[2] == 1) {
          fromSend.add(now - times[0]);
          long answered = times[1];
          if (answered == 0) {
            early.incrementAndGet(); // the frame beat the HTTP answer
            fromAnswer.add(0);
          } else {
            fromAnswer.add(Math.max(0, now - answered));
          }
        }
      });
      out.printf("%,d agent sockets open over %d tenants (%d per tenant), subscribed to the queue%n",
          open.size(), desks.size(), sockets / desks.size());

      AtomicInteger seq = new AtomicInteger();
      AtomicLong failures = new AtomicLong();
      AtomicLong sent = new AtomicLong();
      long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime();
      long warmEnd = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
      long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
      long next = start;
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        if (now < next) {
          TimeUnit.NANOSECONDS.sleep(Math.min(next - now, 2_000_000));
          continue;
        }
        next += periodNanos;
        boolean measured = now >= warmEnd;
        Desk d = desks.get(seq.get() % desks.size());
        String id = "bench-" + seq.incrementAndGet();
        long[] times = {System.nanoTime(), 0, measured ? 1 : 0};
        changes.put(id, times);
        sent.incrementAndGet();
        request(http, ports.get(seq.get() % ports.size()), HttpMethod.POST,
            "/api/v1/tenants/" + d.tenant() + "/requests/" + d.requestNumber()
            + "/comments", d.agentToken(), new JsonObject().put("body", id).put("internal", true))
            .onComplete(ar -> {
              long answered = System.nanoTime();
              if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
                times[1] = answered;
                if (times[2] == 1) {
                  roundTrip.add(answered - times[0]);
                }
              } else {
                failures.incrementAndGet();
              }
            });
      }
      Thread.sleep(5000); // drain
      long measuredChanges = changes.values().stream().filter(t -> t[2] == 1).count();
      out.printf("driver: %,d changes at %d/s (%d s warm-up, %d s measured: %,d changes), %,d failed%n",
          sent.get(), rate, warmupSeconds, seconds, measuredChanges, failures.get());
      long expected = measuredChanges * (sockets / desks.size());
      out.printf("event frames measured: %,d of %,d expected (%.2f%%); %,d arrived before the HTTP answer%n",
          fromSend.size(), expected, 100.0 * fromSend.size() / Math.max(1, expected), early.get());
      out.println("| measure | p50 | p99 | p99.9 | max |");
      out.println("| --- | --- | --- | --- | --- |");
      out.println(roundTrip.row("baseline: REST round trip of the change (send to 2xx)"));
      out.println(fromAnswer.row("commit (2xx answer) to client frame"));
      out.println(fromSend.row("change sent to client frame"));
      for (WebSocket w : open) {
        w.close();
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Latency samples in nanoseconds. */
  static final class Samples {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    synchronized int size() {
      return size;
    }

    synchronized String row(String name) {
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return String.format("| %s | %s | %s | %s | %s |", name, ms(sorted, 0.50), ms(sorted, 0.99), ms(sorted, 0.999),
          sorted.length == 0 ? "-" : String.format("%.1f ms", sorted[sorted.length - 1] / 1e6));
    }

    private static String ms(long[] sorted, double q) {
      if (sorted.length == 0) {
        return "-";
      }
      int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
      return String.format("%.1f ms", sorted[Math.max(0, i)] / 1e6);
    }
  }

  /**
   * One node on its embedded PostgreSQL, or {@code count} clustered nodes on loopback sharing one
   * PostgreSQL started by {@code DatabaseLauncher} (as {@code deploy/cluster-local.sh} does).
   */
  static final class Cluster implements AutoCloseable {
    final List<NodeProcess> nodes;
    private ChildProcess database;

    Cluster() {
      this.nodes = new ArrayList<>();
    }

    /** Nodes someone else started and closes (the http benchmark's); only {@link #awaitMembers} is used. */
    Cluster(List<NodeProcess> started) {
      this.nodes = started;
    }

    /** @param instances HTTP verticles per node ({@code --http.instances}) */
    static Cluster start(Path appJar, Path config, List<String> jvm, int count, int instances) throws Exception {
      Cluster c = new Cluster();
      try {
        if (count == 1) {
          c.nodes.add(NodeProcess.start(appJar, config, jvm, "--http.instances=" + instances));
          return c;
        }
        c.database = ChildProcess.start(appJar, "dev.otklik.app.DatabaseLauncher", HttpBenchmark.DB_READY,
            "--data-dir=" + java.nio.file.Files.createTempDirectory("otklik-bench-db"), "--http.port=0");
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            clusterPorts.add(s.getLocalPort());
          }
        }
        String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(java.util.stream.Collectors.joining(","));
        for (int i = 0; i < count; i++) {
          c.nodes.add(NodeProcess.start(appJar, config, jvm, "--http.instances=" + instances, c.database.ready.group(2),
              c.database.ready.group(3), c.database.ready.group(4), "--cluster=true", "--cluster.host=127.0.0.1",
              "--cluster.port=" + clusterPorts.get(i), "--cluster.members=" + members));
        }
        return c;
      } catch (Exception e) {
        c.close();
        throw e;
      }
    }

    /** Waits until the first node's readiness reports every member. */
    void awaitMembers(HttpClient http, int count) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        Answer a = request(http, nodes.get(0).port, HttpMethod.GET, "/ready", null, null)
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (a.body().contains("\"members\":" + count)) {
          return;
        }
        Thread.sleep(500);
      }
      throw new IllegalStateException("the cluster did not reach " + count + " members");
    }

    @Override
    public void close() throws Exception {
      for (NodeProcess n : nodes) {
        n.close();
      }
      if (database != null) {
        database.close();
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A temporary copy of the tenant directory with {@code copies} more vendors: АСМО's file under
   * the ids {@code bench-01}, {@code bench-02}, ... (a new vendor is only a new file).
   */
  static Path withCopiesOfAsmo(Path source, int copies, List<String> ids) throws java.io.IOException {
    Path target = java.nio.file.Files.createTempDirectory("otklik-bench-tenants");
    try (var files = java.nio.file.Files.walk(source)) {
      for (Path f : files.toList()) {
        Path to = target.resolve(source.relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) {
          java.nio.file.Files.createDirectories(to);
        } else {
          java.nio.file.Files.copy(f, to);
        }
      }
    }
    String asmo = java.nio.file.Files.readString(source.resolve("asmo.yaml"));
    for (int i = 1; i <= copies; i++) {
      String id = String.format("bench-%02d", i);
      String yaml = asmo.replaceFirst("(?m)^id: asmo$", "id: " + id)
          .replaceFirst("(?m)^request-number-prefix: ASMO$", String.format("request-number-prefix: BEN%02d", i));
      java.nio.file.Files.writeString(target.resolve(id + ".yaml"), yaml);
      ids.add(id);
    }
    return target;
  }

  private static HttpClient http(Vertx vertx) {
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(64));
  }

  /** Opens {@code count} agent sockets, spread round-robin over the desks, each subscribed to the queue. */
  private static List<WebSocket> open(WebSocketClient ws, List<Integer> ports, List<Desk> desks, int count,
      java.util.function.Consumer<String> onText) throws Exception {
    List<WebSocket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
    int batch = 500;
    for (int from = 0; from < count; from += batch) {
      int n = Math.min(batch, count - from);
      CountDownLatch subscribed = new CountDownLatch(n);
      AtomicInteger failed = new AtomicInteger();
      for (int i = 0; i < n; i++) {
        Desk d = desks.get((from + i) % desks.size());
        int port = ports.get((from + i) % ports.size());
        ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/v1/stream")
                .addHeader("Authorization", "Bearer " + d.agentToken()))
            .onSuccess(socket -> {
              sockets.add(socket);
              socket.textMessageHandler(text -> {
                if (text.startsWith("{\"type\":\"subscribed\"")) {
                  subscribed.countDown();
                } else if (onText != null) {
                  onText.accept(text);
                }
              });
              socket.writeTextMessage(new JsonObject().put("type", "subscribe")
                  .put("subscriptions", new JsonArray().add(new JsonObject().put("scope", "queue"))).encode());
            })
            .onFailure(e -> {
              failed.incrementAndGet();
              subscribed.countDown();
            });
      }
      if (!subscribed.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("sockets not subscribed within 120 s");
      }
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " sockets failed to connect");
      }
    }
    return sockets;
  }

  /** A tenant admin, an agent, a customer organisation and person, and one request to comment on. */
  private static Desk desk(HttpClient http, int port, String tenant) {
    String t = "/api/v1/tenants/" + tenant;
    String password = "bench-password-1";
    String adminToken = "Bearer " + NodeProcess.ADMIN_TOKEN;
    ok(request(http, port, HttpMethod.POST, "/api/v1/admin/tenants/" + tenant + "/users", adminToken,
        new JsonObject().put("email", "admin@" + tenant + ".bench").put("displayName", "Admin").put("role", "tenant_admin")
            .put("password", password)));
    ok(request(http, port, HttpMethod.POST, "/api/v1/admin/tenants/" + tenant + "/users", adminToken,
        new JsonObject().put("email", "agent@" + tenant + ".bench").put("displayName", "Agent").put("role", "agent")
            .put("password", password)));
    String admin = login(http, port, tenant, "admin@" + tenant + ".bench", password);
    String org = ok(request(http, port, HttpMethod.POST, t + "/organisations", admin,
        new JsonObject().put("name", "Bench organisation"))).getString("id");
    String customer = ok(request(http, port, HttpMethod.POST, t + "/users", admin,
        new JsonObject().put("email", "customer@" + tenant + ".bench").put("displayName", "Customer")
            .put("role", "customer").put("organisationId", org).put("password", password))).getString("id");
    String agent = login(http, port, tenant, "agent@" + tenant + ".bench", password);
    JsonObject request = new JsonObject().put("subject", "bench").put("description", "bench").put("channel", "phone")
        .put("organisationId", org).put("requesterId", customer);
    if ("asmo".equals(tenant) || tenant.startsWith("bench-")) {
      request.put("service", "error-fixing").put("priority", "high");
    }
    String number = ok(request(http, port, HttpMethod.POST, t + "/requests", agent, request)).getString("number");
    return new Desk(tenant, agent.substring("Bearer ".length()), number);
  }

  private static String login(HttpClient http, int port, String tenant, String email, String password) {
    return "Bearer " + ok(request(http, port, HttpMethod.POST, "/api/v1/tenants/" + tenant + "/auth/login", null,
        new JsonObject().put("email", email).put("password", password))).getString("accessToken");
  }

  record Answer(int statusCode, String body) {}

  private static Future<Answer> request(HttpClient http, int port, HttpMethod method, String path, String bearer,
      JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
        .putHeader("Content-Type", "application/json");
    if (bearer != null) {
      options.putHeader("Authorization", bearer.startsWith("Bearer ") ? bearer : "Bearer " + bearer);
    }
    return http.request(options)
        .compose(req -> req.send(body == null ? Buffer.buffer() : body.toBuffer()))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString())));
  }

  private static JsonObject ok(Future<Answer> answer) {
    Answer a = answer.await();
    if (a.statusCode() / 100 != 2) {
      throw new IllegalStateException(a.statusCode() + " " + a.body());
    }
    return new JsonObject(a.body());
  }
}
