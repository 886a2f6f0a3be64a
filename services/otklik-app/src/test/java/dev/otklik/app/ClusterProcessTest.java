package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real three-node cluster on loopback: one database process ({@link DatabaseLauncher}) and three
 * node processes ({@link OtklikLauncher}, each its own JVM, Hazelcast TCP/IP join) sharing it, all
 * started together so their migrations race (Flyway's lock decides). Clients are real WebSockets and
 * HTTP calls from this JVM; the failover kills a node with SIGKILL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessTest {

  private static final Pattern LISTENING = Pattern.compile("Otklik is listening on http://localhost:(\\d+)/");
  private static final Pattern DB_LISTENING = Pattern.compile("Otklik database is listening on (postgresql://\\S+) ");
  private static final String SECRET = "a-cluster-process-test-secret-of-at-least-32-bytes";
  private static final String ADMIN_TOKEN = "cluster-admin-token";
  private static final String TENANT = "/api/v1/tenants/asmo";

  @TempDir static Path work;
  static Child database;
  static final List<Node> nodes = new ArrayList<>();
  static Vertx vertx;
  static WebSocketClient sockets;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  static String customer;
  static String agent;

  /** A child JVM and everything it printed. */
  record Child(String name, Process process, List<String> output, LinkedBlockingQueue<String> lines) {

    String await(Pattern pattern, Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line == null) {
          if (!process.isAlive()) {
            break;
          }
          continue;
        }
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
      throw new AssertionError(name + " did not start; it printed:\n" + String.join("\n", output));
    }
  }

  record Node(String name, Child child, int httpPort) {
    String base() {
      return "http://127.0.0.1:" + httpPort;
    }
  }

  @BeforeAll
  static void startCluster() throws Exception {
    database = spawn("database", DatabaseLauncher.class, List.of("--data-dir=" + work.resolve("db")));
    String url = database.await(DB_LISTENING, Duration.ofSeconds(90));

    int[] hazelcast = {freePort(), freePort(), freePort()};
    String members = "127.0.0.1:" + hazelcast[0] + ",127.0.0.1:" + hazelcast[1] + ",127.0.0.1:" + hazelcast[2];
    List<Child> children = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String name = "node-" + (char) ('a' + i);
      children.add(spawn(name, OtklikLauncher.class, List.of(
          "--http.port=0", "--http.host=127.0.0.1", "--http.instances=1",
          "--data-dir=" + work.resolve(name), "--tenant-config=" + TestTenantConfig.repositoryDir().toAbsolutePath(),
          "--tenant-reload-interval=PT0S", "--jwt.secret=" + SECRET, "--admin-token=" + ADMIN_TOKEN,
          "--rate-limit.per-user-per-minute=0", "--rate-limit.per-tenant-per-minute=0", "--db.pool-size=4",
          "--db.url=" + url, "--db.migration-user=postgres", "--db.migration-password=",
          "--cluster=true", "--cluster.host=127.0.0.1", "--cluster.port=" + hazelcast[i],
          "--cluster.members=" + members)));
    }
    for (Child child : children) {
      nodes.add(new Node(child.name(), child, Integer.parseInt(child.await(LISTENING, Duration.ofSeconds(120)))));
    }
    for (Node node : nodes) {
      awaitMembers(node, 3, Duration.ofSeconds(60));
    }
    vertx = Vertx.vertx();
    sockets = vertx.createWebSocketClient();

    Node a = nodes.get(0);
    call(a, "POST", "/api/v1/admin/tenants/asmo/users", "Bearer " + ADMIN_TOKEN, new JsonObject()
        .put("email", "admin@cluster.example").put("displayName", "Admin").put("role", "tenant_admin")
        .put("password", "admin-password-1"), 201);
    String admin = login(a, "admin@cluster.example", "admin-password-1");
    String org = call(a, "POST", TENANT + "/organisations", admin, new JsonObject().put("name", "Кластерная больница"), 201)
        .getString("id");
    call(a, "POST", TENANT + "/users", admin, new JsonObject().put("email", "anna@cluster.example")
        .put("displayName", "Анна").put("role", "customer").put("organisationId", org)
        .put("password", "customer-password-1"), 201);
    call(a, "POST", TENANT + "/users", admin, new JsonObject().put("email", "ivan@cluster.example")
        .put("displayName", "Иван").put("role", "agent").put("password", "agent-password-1"), 201);
    customer = login(nodes.get(1), "anna@cluster.example", "customer-password-1");
    agent = login(nodes.get(2), "ivan@cluster.example", "agent-password-1");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (vertx != null) {
      vertx.close().await();
    }
    for (Node node : nodes) {
      node.child().process().destroy();
    }
    for (Node node : nodes) {
      if (!node.child().process().waitFor(30, TimeUnit.SECONDS)) {
        node.child().process().destroyForcibly();
      }
    }
    if (database != null) {
      database.process().destroy();
      if (!database.process().waitFor(30, TimeUnit.SECONDS)) {
        database.process().destroyForcibly();
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("every node is ready and reports a cluster of three members")
  void everyNodeReportsThreeMembers() throws Exception {
    for (Node node : nodes) {
      HttpResponse<String> ready = get(node, "/ready", null);
      assertThat(ready.statusCode()).as(node.name() + " " + ready.body()).isEqualTo(200);
      JsonObject body = new JsonObject(ready.body());
      assertThat(body.getJsonObject("checks").getString("cluster")).isEqualTo("UP");
      assertThat(body.getJsonObject("cluster").getInteger("members")).isEqualTo(3);
    }
  }

  @Test
  @Order(2)
  @DisplayName("a staff socket on node A sees a request filed and commented through node C, and node B's socket sees the same sequence")
  void socketOnNodeASeesChangeMadeThroughNodeC() throws Exception {
    Client onA = Client.connect(nodes.get(0), agent);
    Client onB = Client.connect(nodes.get(1), agent);
    long start = onA.subscribe(null).getLong("after");
    onB.subscribe(start);

    JsonObject created = createRequest(nodes.get(2), "filed through C");
    String number = created.getString("number");
    JsonObject event = onA.awaitEvent(e -> number.equals(e.getString("ticket")));
    assertThat(event.getString("event")).isEqualTo("created");
    assertThat(event.getLong("sequence")).isGreaterThan(start);

    call(nodes.get(2), "POST", TENANT + "/requests/" + number + "/comments", agent,
        new JsonObject().put("body", "seen from node A?"), 201);
    JsonObject comment = onA.awaitEvent(e -> number.equals(e.getString("ticket")) && "comment-added".equals(e.getString("event")));
    assertThat(comment.getJsonObject("after").getString("body")).isEqualTo("seen from node A?");
    JsonObject onBComment = onB.awaitEvent(e -> comment.getLong("sequence").equals(e.getLong("sequence")));
    assertThat(onBComment.getString("ticket")).isEqualTo(number);
    onA.close();
    onB.close();
  }

  @Test
  @Order(3)
  @DisplayName("a session revoked through node C: its sockets on A and B close with 4004 at once, and every node refuses its access token")
  void revokedSessionEndsEverywhere() throws Exception {
    String second = login(nodes.get(0), "ivan@cluster.example", "agent-password-1");
    String sessionId = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(
        second.substring(7).split("\\.")[1]), StandardCharsets.UTF_8)).getString("sid");
    Client onA = Client.connect(nodes.get(0), second);
    Client onB = Client.connect(nodes.get(1), second);
    onA.subscribe(null);
    onB.subscribe(null);
    for (Node node : nodes) {
      assertThat(get(node, TENANT + "/me", second).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> revoked = http.send(request(nodes.get(2), "DELETE", TENANT + "/me/sessions/" + sessionId,
        agent, null), HttpResponse.BodyHandlers.ofString());
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);

    onA.awaitClosed(Duration.ofSeconds(5));
    onB.awaitClosed(Duration.ofSeconds(5));
    assertThat(onA.ws.closeStatusCode()).isEqualTo((short) 4004);
    assertThat(onB.ws.closeStatusCode()).isEqualTo((short) 4004);
    for (Node node : nodes) {
      HttpResponse<String> refused = get(node, TENANT + "/me", second);
      assertThat(refused.statusCode()).as(node.name()).isEqualTo(401);
      assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("auth.session-revoked");
    }
    assertThat(get(nodes.get(1), TENANT + "/me", agent).statusCode()).as("the agent's other session goes on").isEqualTo(200);
  }

  @Test
  @Order(4)
  @DisplayName("kill -9 of a node under steady load: every 2xx request exists, survivors' sockets miss nothing, the killed node's socket resumes on another node with no gap and no duplicate")
  void failoverUnderLoad() throws Exception {
    Node a = nodes.get(0);
    Node b = nodes.get(1);
    Node c = nodes.get(2);
    Client onA = Client.connect(a, agent);
    Client onB = Client.connect(b, agent);
    Client onC = Client.connect(c, agent);
    long start = onA.subscribe(null).getLong("after");
    onB.subscribe(start);
    onC.subscribe(start);

    // Steady load, round-robin over the three nodes, 10 requests a second.
    List<String> accepted = new CopyOnWriteArrayList<>();
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<?>> inFlight = new CopyOnWriteArrayList<>();
    AtomicInteger turn = new AtomicInteger();
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    load.scheduleAtFixedRate(() -> {
      Node target = nodes.get(turn.getAndIncrement() % 3);
      inFlight.add(http.sendAsync(request(target, "POST", TENANT + "/requests", customer, requestBody("load")),
              HttpResponse.BodyHandlers.ofString())
          .handle((r, e) -> {
            if (e == null && r.statusCode() / 100 == 2) {
              accepted.add(new JsonObject(r.body()).getString("number"));
            } else {
              failed.incrementAndGet();
            }
            return null;
          }));
    }, 0, 100, TimeUnit.MILLISECONDS);

    Thread.sleep(3000);
    long killedAt = System.nanoTime();
    c.child().process().destroyForcibly();
    // Failure detection as the survivors see it: A's readiness reports two members.
    CompletableFuture<Long> detected = CompletableFuture.supplyAsync(() -> {
      try {
        awaitMembers(a, 2, Duration.ofSeconds(40));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long lastOnC = onC.awaitClosed(Duration.ofSeconds(20));

    // The killed node's client reconnects to A with its last sequence.
    Client resumed = Client.connect(a, agent);
    JsonObject subscribed = resumed.subscribe(lastOnC);
    assertThat(subscribed.getLong("after")).isEqualTo(lastOnC);
    resumed.awaitEvent(e -> e.getLong("sequence") >= subscribed.getLong("sequence"));
    long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

    long detectedMs = detected.get(45, TimeUnit.SECONDS);
    awaitMembers(b, 2, Duration.ofSeconds(10));
    Thread.sleep(2000); // load goes on over the two-member cluster
    load.shutdown();
    assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    // A last request through A marks the end: every client must have every event up to it.
    String marker = createRequest(a, "marker").getString("number");
    long end = onA.awaitEvent(e -> marker.equals(e.getString("ticket"))).getLong("sequence");
    onB.awaitEvent(e -> e.getLong("sequence") >= end);
    resumed.awaitEvent(e -> e.getLong("sequence") >= end);

    List<Long> expected = LongStream.rangeClosed(start + 1, end).boxed().toList();
    assertThat(onA.sequencesUpTo(end)).as("node A's socket").containsExactlyElementsOf(expected);
    assertThat(onB.sequencesUpTo(end)).as("node B's socket").containsExactlyElementsOf(expected);
    List<Long> killedClient = new ArrayList<>(onC.sequencesUpTo(end));
    killedClient.addAll(resumed.sequencesUpTo(end));
    assertThat(killedClient).as("the killed node's client, before and after resuming on A")
        .containsExactlyElementsOf(expected);

    assertThat(accepted).as("requests accepted before, during and after the failover").hasSizeGreaterThan(30);
    Set<String> streamed = ConcurrentHashMap.newKeySet();
    onA.events.forEach(e -> streamed.add(e.getString("ticket")));
    for (String number : accepted) {
      assertThat(get(b, TENANT + "/requests/" + number, customer).statusCode()).as(number).isEqualTo(200);
      assertThat(streamed).as("created event of " + number).contains(number);
    }
    System.out.printf("cluster failover (3 nodes, kill -9 of one, 10 requests/s round-robin): "
            + "member removed on survivor after %d ms; killed node's client reconnected and caught up after %d ms "
            + "(socket closed at sequence %d, resumed on node A); %d requests accepted, %d refused or cut off%n",
        detectedMs, recoveredMs, lastOnC, accepted.size(), failed.get());
    onA.close();
    onB.close();
    resumed.close();
  }

  @Test
  @Order(5)
  @DisplayName("a frozen node (SIGSTOP: its connections stay open) is removed after the heartbeat timeout; the survivor's socket keeps every event meanwhile")
  void frozenNodeIsRemovedAfterTheFailureTimeout() throws Exception {
    Node a = nodes.get(0);
    Node b = nodes.get(1);
    awaitMembers(a, 2, Duration.ofSeconds(10));
    Client onA = Client.connect(a, agent);
    long start = onA.subscribe(null).getLong("after");

    long frozenAt = System.nanoTime();
    signal("STOP", b);
    long worstDelayMs = 0;
    List<String> made = new ArrayList<>();
    try {
      CompletableFuture<Long> detected = CompletableFuture.supplyAsync(() -> {
        try {
          awaitMembers(a, 1, Duration.ofSeconds(40));
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // Changes through A while B is frozen but still a member, then after its removal.
      while (!detected.isDone() || made.size() < 5) {
        String number = createRequest(a, "while B is frozen").getString("number");
        long answered = System.nanoTime();
        made.add(number);
        onA.awaitEvent(e -> number.equals(e.getString("ticket")));
        worstDelayMs = Math.max(worstDelayMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered));
        Thread.sleep(200);
      }
      long detectedMs = detected.get();
      long end = onA.awaitEvent(e -> made.get(made.size() - 1).equals(e.getString("ticket"))).getLong("sequence");
      assertThat(onA.sequencesUpTo(end)).containsExactlyElementsOf(LongStream.rangeClosed(start + 1, end).boxed().toList());
      System.out.printf("cluster freeze (SIGSTOP of one of two nodes, heartbeat 1 s, failure timeout 10 s): member removed "
              + "on the survivor after %d ms; %d requests made through the survivor meanwhile, slowest response-to-event %d ms%n",
          detectedMs, made.size(), worstDelayMs);
    } finally {
      b.child().process().destroyForcibly(); // SIGKILL ends a stopped process too
      onA.close();
    }
  }

  static void signal(String name, Node node) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(node.child().process().pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  // --- clients ---

  /** A staff WebSocket: event frames in order, other frames queued. */
  static final class Client {
    final List<JsonObject> events = Collections.synchronizedList(new ArrayList<>());
    final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    WebSocket ws;

    static Client connect(Node node, String bearer) {
      Client c = new Client();
      // handlers before the upgrade: a frame that comes with the upgrade response is not missed
      io.vertx.core.http.ClientWebSocket ws = sockets.webSocket();
      ws.textMessageHandler(t -> {
        JsonObject f = new JsonObject(t);
        if ("event".equals(f.getString("type"))) {
          c.events.add(f);
        } else {
          c.frames.add(f);
        }
      });
      ws.closeHandler(v -> c.closed.complete(null));
      c.ws = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort())
          .setURI("/api/v1/stream").addHeader("Authorization", bearer)).await();
      return c;
    }

    JsonObject subscribe(Long after) throws InterruptedException {
      JsonObject frame = new JsonObject().put("type", "subscribe")
          .put("subscriptions", new JsonArray().add(new JsonObject().put("scope", "queue")));
      if (after != null) {
        frame.put("after", after);
      }
      ws.writeTextMessage(frame.encode()).await();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        JsonObject f = frames.poll(100, TimeUnit.MILLISECONDS);
        if (f != null && "subscribed".equals(f.getString("type"))) {
          return f;
        }
        if (f != null && !"welcome".equals(f.getString("type"))) {
          throw new AssertionError("unexpected frame " + f.encode());
        }
      }
      throw new AssertionError("not subscribed within 20 s");
    }

    JsonObject awaitEvent(Predicate<JsonObject> which) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        synchronized (events) {
          for (JsonObject e : events) {
            if (which.test(e)) {
              return e;
            }
          }
        }
        Thread.sleep(20);
      }
      throw new AssertionError("no matching event within 30 s; got " + sequencesUpTo(Long.MAX_VALUE));
    }

    /** Waits for the socket to close (its node died) and returns the last sequence it received. */
    long awaitClosed(Duration within) throws Exception {
      closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
      synchronized (events) {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).getLong("sequence");
      }
    }

    List<Long> sequencesUpTo(long end) {
      synchronized (events) {
        return events.stream().map(e -> e.getLong("sequence")).filter(s -> s <= end).toList();
      }
    }

    void close() {
      if (!closed.isDone()) {
        ws.close().await();
      }
    }
  }

  // --- HTTP ---

  static JsonObject requestBody(String subject) {
    return new JsonObject().put("subject", subject).put("description", "cluster test")
        .put("service", "error-fixing").put("priority", "high")
        .put("form", new JsonObject().put("expected-resolution-date", "2026-12-15"));
  }

  static JsonObject createRequest(Node node, String subject) throws Exception {
    return call(node, "POST", TENANT + "/requests", customer, requestBody(subject), 201);
  }

  static HttpRequest request(Node node, String method, String path, String bearer, JsonObject body) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(node.base() + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (bearer != null) {
      r.header("Authorization", bearer);
    }
    return r.build();
  }

  static JsonObject call(Node node, String method, String path, String bearer, JsonObject body, int status)
      throws Exception {
    HttpResponse<String> r = http.send(request(node, method, path, bearer, body), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }

  static HttpResponse<String> get(Node node, String path, String bearer) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(node.base() + path)).timeout(Duration.ofSeconds(10));
    if (bearer != null) {
      r.header("Authorization", bearer);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String login(Node node, String email, String password) throws Exception {
    return "Bearer " + call(node, "POST", TENANT + "/auth/login", null,
        new JsonObject().put("email", email).put("password", password), 200).getString("accessToken");
  }

  /** Polls the node's readiness until it reports {@code members} cluster members. */
  static void awaitMembers(Node node, int members, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = get(node, "/ready", null);
        last = r.statusCode() + " " + r.body();
        JsonObject cluster = new JsonObject(r.body()).getJsonObject("cluster");
        if (r.statusCode() == 200 && cluster != null && cluster.getInteger("members") == members) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(50);
    }
    throw new AssertionError(node.name() + " never reported " + members + " members; last " + last
        + "\n" + String.join("\n", node.child().output()));
  }

  // --- processes ---

  static Child spawn(String name, Class<?> main, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.add(line);
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
    return new Child(name, process, output, lines);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
