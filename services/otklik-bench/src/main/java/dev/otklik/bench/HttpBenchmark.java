package dev.otklik.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * The HTTP scenarios of the performance issue, each against its same-run ceiling on the same
 * PostgreSQL: create a request (JWT, row-level security, event and outbox rows) vs one INSERT;
 * read a request by number vs one SELECT by primary key; an agent's queue page (25 rows) and a
 * comment, against the same two. Processes: one shared embedded PostgreSQL, one Otklik node
 * ({@code java -jar otklik-app.jar}), one ceiling server; this JVM only generates load.
 */
final class HttpBenchmark {

  static final Pattern DB_READY = Pattern.compile(
      "listening on (postgresql://\\S+) \\(node settings: (--db\\.url=\\S+) (--db\\.migration-user=\\S+) (--db\\.migration-password=\\S*)\\)");
  private static final Pattern CEILING_READY = Pattern.compile("ceiling listening on (\\d+)");
  private static final Pattern FLOOR_READY = Pattern.compile("store floor listening on (\\d+)");

  private final Path appJar;
  private final Path benchJar;
  private final Path tenantConfig;
  private final Duration measure;
  private final Duration warm;
  private final int poolSize;
  private final int concurrency;
  private final int rate;
  private final int stored;
  private final int nodeCount;
  private final List<String> nodeJvm;
  private final Set<String> scenarios;

  /**
   * @param nodeCount 1, or several clustered nodes on loopback sharing the one PostgreSQL, requests round-robin
   * @param nodeJvm JVM options for the node(s) besides the heap (a profiler, say)
   * @param scenarios which of create, read, list, comment to run (read, list and comment need create's requests)
   * @param warm how long each pair's ceiling and scenario run before they are measured (the node's
   *     JIT compiles for longer than the ceiling's: with 5 s its compiler threads took a third of
   *     the node's CPU over a run)
   * @param poolSize database connections per node and for the ceiling ({@code db.pool-size})
   */
  HttpBenchmark(Path appJar, Path benchJar, Path tenantConfig, Duration measure, Duration warm, int poolSize,
      int concurrency, int rate, int stored, int nodeCount, List<String> nodeJvm, Set<String> scenarios) {
    this.appJar = appJar;
    this.benchJar = benchJar;
    this.tenantConfig = tenantConfig;
    this.measure = measure;
    this.warm = warm;
    this.poolSize = poolSize;
    this.concurrency = concurrency;
    this.rate = rate;
    this.stored = stored;
    this.nodeCount = nodeCount;
    this.nodeJvm = nodeJvm;
    this.scenarios = scenarios;
  }

  void run(PrintStream out) throws Exception {
    Path data = Files.createTempDirectory("otklik-bench-db");
    try (ChildProcess db = ChildProcess.start(appJar, "dev.otklik.app.DatabaseLauncher", DB_READY,
            "--data-dir=" + data, "--http.port=0");
        Nodes nodes = Nodes.start(appJar, tenantConfig, nodeCount, nodeJvm, db, poolSize);
        ChildProcess ceiling = ChildProcess.start(benchJar, CeilingServer.class.getName(), CEILING_READY,
            db.ready.group(1), "postgres", "", Integer.toString(freePort()), "2", Integer.toString(poolSize));
        ChildProcess floor = ChildProcess.start(benchJar, StoreFloorServer.class.getName(), FLOOR_READY,
            db.ready.group(2).substring("--db.url=".length()), Integer.toString(freePort()), "2",
            Integer.toString(poolSize), tenantConfig.toString())) {
      int ceilingPort = Integer.parseInt(ceiling.ready.group(1));
      int floorPort = Integer.parseInt(floor.ready.group(1));
      Vertx vertx = Vertx.vertx();
      try {
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
            .setDefaultHost("127.0.0.1"), new PoolOptions().setHttp1MaxSize(512));
        NodeProcess node = nodes.list.get(0);
        int[] ports = nodes.list.stream().mapToInt(n -> n.port).toArray();
        if (nodeCount > 1) {
          new StreamBenchmark.Cluster(nodes.list).awaitMembers(http, nodeCount);
          out.printf("%d clustered nodes on loopback, one PostgreSQL; requests round-robin%n", nodeCount);
        }
        Desk desk = Desk.create(http, node.port);
        if (stored > 0) {
          seed(vertx, db.ready.group(1), http, node.port, desk, stored, out);
        }
        List<String> numbers = new CopyOnWriteArrayList<>();
        List<Long> rowIds = new CopyOnWriteArrayList<>();

        LongFunction<Future<Integer>> insert = i -> send(http, ceilingPort, HttpMethod.POST, "/insert", null,
            ticketBody(i)).map(r -> {
              rowIds.add(r.body().toJsonObject().getLong("id"));
              return r.status();
            });
        LongFunction<Future<Integer>> select = i -> send(http, ceilingPort, HttpMethod.GET,
            "/select/" + rowIds.get((int) (i % rowIds.size())), null, null).map(Reply::status);
        LongFunction<Future<Integer>> create = i -> send(http, ports[(int) (i % ports.length)], HttpMethod.POST, Desk.REQUESTS,
            desk.customer, ticketBody(i)).map(r -> {
              if (r.status() == 201) {
                numbers.add(r.body().toJsonObject().getString("number"));
              }
              return r.status();
            });
        // the store floor: TicketStore's calls for the same create and read, without the API around them
        LongFunction<Future<Integer>> floorCreate = i -> send(http, floorPort, HttpMethod.POST, "/create",
            desk.customerFloor, ticketBody(i)).map(r -> {
              if (r.status() == 201) {
                numbers.add(r.body().toJsonObject().getString("number"));
              }
              return r.status();
            });
        LongFunction<Future<Integer>> floorRead = i -> send(http, floorPort, HttpMethod.GET,
            "/read/" + numbers.get((int) (i % numbers.size())), desk.agentFloor, null).map(Reply::status);
        LongFunction<Future<Integer>> read = i -> send(http, ports[(int) (i % ports.length)], HttpMethod.GET,
            Desk.REQUESTS + "/" + numbers.get((int) (i % numbers.size())), desk.agent, null).map(Reply::status);
        LongFunction<Future<Integer>> list = i -> send(http, ports[(int) (i % ports.length)], HttpMethod.GET,
            Desk.REQUESTS + "?limit=25&sort=-created", desk.agent, null).map(Reply::status);
        LongFunction<Future<Integer>> comment = i -> send(http, ports[(int) (i % ports.length)], HttpMethod.POST,
            Desk.REQUESTS + "/" + numbers.get((int) (i % numbers.size())) + "/comments", desk.agent,
            new JsonObject().put("body", "Комментарий " + i)).map(Reply::status);

        List<Row> rows = new ArrayList<>();
        rows.add(pair(vertx, out, "create request", create, floorCreate, "INSERT", insert));
        if (scenarios.contains("read")) {
          rows.add(pair(vertx, out, "read request by number", read, floorRead, "SELECT by key", select));
        }
        if (scenarios.contains("list")) {
          rows.add(pair(vertx, out, "list agent queue (25 rows)", list, null, "SELECT by key", select));
        }
        if (scenarios.contains("comment")) {
          rows.add(pair(vertx, out, "add comment", comment, null, "INSERT", insert));
        }

        for (NodeProcess n : nodes.list) {
          out.printf("%nnode resident memory after the run: %.0f MiB (heap in use after GC %.0f MiB)",
              n.residentKiB() / 1024.0, n.heapUsedAfterGcKiB() / 1024.0);
        }
        out.printf("%nrequests created by the run: %d, seeded before it: %d%n", numbers.size(), stored);
        out.println();
        out.printf("| scenario | ceiling | store floor (vs ceiling) | throughput (%d in flight) | vs ceiling"
            + " | p50 / p99 / p99.9 at %d/s |%n", concurrency, rate);
        out.println("| --- | --- | --- | --- | --- | --- |");
        for (Row r : rows) {
          String floorCell = r.floor == null ? "-" : String.format("%.0f/s (%.0f%%)", r.floor.perSecond(),
              100 * r.floor.perSecond() / r.ceiling.perSecond());
          out.printf("| %s | %s %.0f/s | %s | %.0f/s | %.0f%% | %.1f / %.1f / %.1f ms (%d errors) |%n", r.name,
              r.ceilingName, r.ceiling.perSecond(), floorCell, r.max.perSecond(),
              100 * r.max.perSecond() / r.ceiling.perSecond(), r.open.millis(50), r.open.millis(99),
              r.open.millis(99.9), r.max.errors() + r.open.errors() + (r.floor == null ? 0 : r.floor.errors()));
        }
      } finally {
        vertx.close().await();
      }
    }
  }

  /** The node(s) under test on the benchmark's PostgreSQL; closed with it. */
  private record Nodes(List<NodeProcess> list) implements AutoCloseable {
    static Nodes start(Path appJar, Path config, int count, List<String> jvm, ChildProcess db, int poolSize)
        throws Exception {
      String pool = "--db.pool-size=" + poolSize;
      if (count == 1) {
        return new Nodes(List.of(NodeProcess.start(appJar, config, withHeap("-Xmx1g", jvm),
            db.ready.group(2), db.ready.group(3), db.ready.group(4), pool)));
      }
      List<Integer> clusterPorts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        clusterPorts.add(freePort());
      }
      String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(java.util.stream.Collectors.joining(","));
      List<NodeProcess> started = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          // the same heap in total as the single node, split over the members
          started.add(NodeProcess.start(appJar, config, withHeap("-Xmx" + Math.max(256, 1024 / count) + "m", jvm),
              db.ready.group(2), db.ready.group(3), db.ready.group(4), pool, "--cluster=true", "--cluster.host=127.0.0.1",
              "--cluster.port=" + clusterPorts.get(i), "--cluster.members=" + members));
        }
      } catch (Exception e) {
        for (NodeProcess n : started) {
          n.close();
        }
        throw e;
      }
      return new Nodes(started);
    }

    private static List<String> withHeap(String heap, List<String> jvm) {
      List<String> all = new ArrayList<>(List.of(heap));
      all.addAll(jvm);
      return all;
    }

    @Override
    public void close() throws Exception {
      for (NodeProcess n : list) {
        n.close();
      }
    }
  }

  /** One scenario's figures; {@code floor} null where the scenario has no store floor. */
  private record Row(String name, String ceilingName, Load.Result ceiling, Load.Result floor, Load.Result max,
      Load.Result open) {}

  /**
   * Warm-up, then the ceiling, the store floor (if any) and the scenario back to back at the same
   * concurrency, then the scenario open-loop.
   */
  private Row pair(Vertx vertx, PrintStream out, String name, LongFunction<Future<Integer>> scenario,
      LongFunction<Future<Integer>> floor, String ceilingName, LongFunction<Future<Integer>> ceiling) {
    Load.closedLoop(vertx, "warm " + ceilingName, ceiling, concurrency, warm);
    if (floor != null) {
      Load.closedLoop(vertx, "warm floor " + name, floor, concurrency, warm);
    }
    Load.closedLoop(vertx, "warm " + name, scenario, concurrency, warm);
    Load.Result c = Load.closedLoop(vertx, ceilingName, ceiling, concurrency, measure);
    Load.Result f = floor == null ? null : Load.closedLoop(vertx, "floor " + name, floor, concurrency, measure);
    Load.Result s = Load.closedLoop(vertx, name, scenario, concurrency, measure);
    Load.Result o = Load.openLoop(vertx, name, scenario, rate, measure);
    out.printf("%-28s ceiling %-14s %8.0f/s | store floor %s | closed %8.0f/s (%4.0f%%) | open %d/s p50 %.1f"
            + " p99 %.1f p99.9 %.1f ms | errors %d%n", name, ceilingName, c.perSecond(),
        f == null ? "-" : String.format("%.0f/s (%.0f%%)", f.perSecond(), 100 * f.perSecond() / c.perSecond()),
        s.perSecond(), 100 * s.perSecond() / c.perSecond(), rate, o.millis(50), o.millis(99), o.millis(99.9),
        s.errors() + o.errors() + (f == null ? 0 : f.errors()));
    return new Row(name, ceilingName, c, f, s, o);
  }

  /**
   * Seeds {@code count} requests into АСМО straight through SQL (as the schema owner; the API would
   * take hours), copies of one request made through the API, spread over the past year, with
   * numbers that continue the tenant's counter.
   */
  private static void seed(Vertx vertx, String pgUrl, HttpClient http, int port, Desk desk, int count,
      PrintStream out) {
    send(http, port, HttpMethod.POST, Desk.REQUESTS, desk.customer, ticketBody(-1)).await();
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pgUrl).setUser("postgres").setPassword(""))
        .using(vertx).build();
    long start = System.nanoTime();
    try {
      pool.query("INSERT INTO ticket (id, tenant_id, number, number_year, number_seq, channel, status, kind, category,"
              + " priority, severity, service, subject, description, form, organisation_id, requester_id, created_by,"
              + " config_version, created_at, updated_at)"
              + " SELECT gen_random_uuid(), t.tenant_id, 'SEED-' || g, 1999, g, t.channel,"
              + " (ARRAY['new','in-progress','waiting-for-customer','accepted','closed'])[1 + g % 5], t.kind,"
              + " t.category, t.priority, t.severity, t.service, 'Seeded request ' || g, t.description, t.form,"
              + " t.organisation_id, t.requester_id, t.created_by, t.config_version,"
              + " t.created_at - make_interval(secs => g * 31), t.updated_at - make_interval(secs => g * 31)"
              + " FROM (SELECT * FROM ticket WHERE tenant_id = 'asmo' LIMIT 1) t, generate_series(1, " + count + ") g")
          .execute().compose(r -> pool.query("ANALYZE ticket").execute()).await();
    } finally {
      pool.close().await();
    }
    out.printf("seeded %,d requests in %.0f s%n", count, (System.nanoTime() - start) / 1e9);
  }

  static JsonObject ticketBody(long i) {
    return new JsonObject().put("subject", "Не формируется отчёт " + i)
        .put("description", "Отчёт по приёмам падает с ошибкой").put("service", "error-fixing").put("priority", "high")
        .put("form", new JsonObject().put("expected-resolution-date", "2026-12-15"));
  }

  record Reply(int status, Buffer body) {}

  static Future<Reply> send(HttpClient http, int port, HttpMethod method, String uri, String authorization,
      JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(method).setPort(port).setURI(uri);
    if (authorization != null) {
      options.putHeader("Authorization", authorization);
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return http.request(options)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b)));
  }

  /** The АСМО people the scenarios act as, made through the API like the README walkthrough. */
  /**
   * The tokens of the customer and the agent, and the same two people as the store floor takes them
   * ({@code Floor <user id>,<role>,<organisation id or ->}, see {@link StoreFloorServer}).
   */
  record Desk(String customer, String agent, String customerFloor, String agentFloor) {
    static final String TENANT = "/api/v1/tenants/asmo";
    static final String REQUESTS = TENANT + "/requests";

    static Desk create(HttpClient http, int port) {
      expect(send(http, port, HttpMethod.POST, "/api/v1/admin/tenants/asmo/users", "Bearer " + NodeProcess.ADMIN_TOKEN,
          new JsonObject().put("email", "admin@bench.example").put("displayName", "Admin").put("role", "tenant_admin")
              .put("password", "admin-password-1")), 201);
      String admin = login(http, port, "admin@bench.example", "admin-password-1");
      String org = expect(send(http, port, HttpMethod.POST, TENANT + "/organisations", admin,
          new JsonObject().put("name", "Больница")), 201).getString("id");
      String customer = expect(send(http, port, HttpMethod.POST, TENANT + "/users", admin, new JsonObject()
          .put("email", "c@bench.example").put("displayName", "Customer").put("role", "customer")
          .put("organisationId", org).put("password", "customer-password-1")), 201).getString("id");
      String agent = expect(send(http, port, HttpMethod.POST, TENANT + "/users", admin, new JsonObject()
          .put("email", "a@bench.example").put("displayName", "Agent").put("role", "agent")
          .put("password", "agent-password-1")), 201).getString("id");
      return new Desk(login(http, port, "c@bench.example", "customer-password-1"),
          login(http, port, "a@bench.example", "agent-password-1"),
          "Floor " + customer + ",customer," + org, "Floor " + agent + ",agent,-");
    }

    private static String login(HttpClient http, int port, String email, String password) {
      return "Bearer " + expect(send(http, port, HttpMethod.POST, TENANT + "/auth/login", null,
          new JsonObject().put("email", email).put("password", password)), 200).getString("accessToken");
    }

    private static JsonObject expect(Future<Reply> reply, int status) {
      Reply r = reply.await();
      if (r.status() != status) {
        throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.body());
      }
      return r.body().toJsonObject();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
