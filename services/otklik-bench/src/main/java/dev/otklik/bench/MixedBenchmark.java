package dev.otklik.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Mixed traffic across the five seed tenants plus generated ones (copies of АСМО's file,
 * {@link StreamBenchmark#withCopiesOfAsmo}), open loop: 20% create, 40% read by number, 25%
 * queue page, 15% comment, each on a tenant picked in turn. {@code soak} runs it for long and
 * samples, every 30 s, the node's resident memory, its heap after a full GC, the event-loop lag
 * (from the node's own {@code /metrics}: the p99 and the maximum of the last two minutes' probes,
 * worst loop) and the window's latency, so drift shows. The full GC is the soak's own doing
 * (jcmd, for the heap figure) and its pause lands in the maximum; the p99 is what shows a trend.
 */
final class MixedBenchmark {

  private static final Pattern LAG_MAX = Pattern.compile("otklik_event_loop_lag_seconds_max\\{[^}]*} (\\S+)");
  private static final Pattern LAG_P99 = Pattern.compile(
      "otklik_event_loop_lag_seconds\\{[^}]*quantile=\"0\\.99\"[^}]*} (\\S+)");

  private final Path appJar;
  private final Path tenantConfig;
  private final int generatedTenants;
  private final int rate;

  MixedBenchmark(Path appJar, Path tenantConfig, int generatedTenants, int rate) {
    this.appJar = appJar;
    this.tenantConfig = tenantConfig;
    this.generatedTenants = generatedTenants;
    this.rate = rate;
  }

  /** One open-loop run of {@code seconds}; {@code sampleEvery} > 0 prints samples as it goes (the soak). */
  void run(PrintStream out, Duration length, Duration sampleEvery) throws Exception {
    List<String> tenants = new ArrayList<>(List.of("amber-crm", "asmo", "cik-alekon", "imc", "risk-pro"));
    Path config = StreamBenchmark.withCopiesOfAsmo(tenantConfig, generatedTenants, tenants);
    Path data = Files.createTempDirectory("otklik-bench-db");
    try (ChildProcess db = ChildProcess.start(appJar, "dev.otklik.app.DatabaseLauncher", HttpBenchmark.DB_READY,
            "--data-dir=" + data, "--http.port=0");
        NodeProcess node = NodeProcess.start(appJar, config, List.of("-Xmx1g"),
            db.ready.group(2), db.ready.group(3), db.ready.group(4))) {
      Vertx vertx = Vertx.vertx();
      try {
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
            .setDefaultHost("127.0.0.1"), new PoolOptions().setHttp1MaxSize(512));
        long setup = System.nanoTime();
        List<TenantDesk> desks = new ArrayList<>();
        for (String t : tenants) {
          desks.add(TenantDesk.create(http, node.port, t));
        }
        out.printf("%d tenants with an admin, a customer and an agent each, set up in %.0f s%n", desks.size(),
            (System.nanoTime() - setup) / 1e9);
        // every tenant gets a first request, so reads and comments always have one
        for (TenantDesk d : desks) {
          HttpBenchmark.Reply first = HttpBenchmark.send(http, node.port, HttpMethod.POST,
              "/api/v1/tenants/" + d.tenant() + "/requests", d.customer(), d.body(0)).await();
          if (first.status() != 201) {
            throw new IllegalStateException(d.tenant() + " refused a request: " + first.body());
          }
          d.numbers().add(first.body().toJsonObject().getString("number"));
        }
        LongFunction<Future<Integer>> mixed = i -> {
          TenantDesk d = desks.get((int) (i % desks.size()));
          int kind = (int) ((i * 7919) % 20);
          if (kind < 4) {
            return d.create(http, node.port, i);
          } else if (kind < 12) {
            return d.call(http, node.port, HttpMethod.GET, "/requests/" + d.anyNumber(i), d.agent, null);
          } else if (kind < 17) {
            return d.call(http, node.port, HttpMethod.GET, "/requests?limit=25&status=new", d.agent, null);
          }
          return d.call(http, node.port, HttpMethod.POST, "/requests/" + d.anyNumber(i) + "/comments", d.agent,
              new JsonObject().put("body", "Комментарий " + i));
        };
        Load.openLoop(vertx, "warm-up", mixed, rate, Duration.ofSeconds(10));
        if (sampleEvery.isZero()) {
          Load.Result r = Load.openLoop(vertx, "mixed", mixed, rate, length);
          out.printf("mixed %d/s over %d tenants for %d s: %.0f/s done, p50 %.1f p99 %.1f p99.9 %.1f ms, %d errors;"
                  + " node RSS %.0f MiB%n", rate, desks.size(), length.toSeconds(), r.perSecond(), r.millis(50),
              r.millis(99), r.millis(99.9), r.errors(), node.residentKiB() / 1024.0);
          return;
        }
        out.println("| minute | done/s | p50 ms | p99 ms | errors | RSS MiB | heap after GC MiB"
            + " | loop lag p99 / max ms |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        long windows = length.toSeconds() / sampleEvery.toSeconds();
        for (long w = 1; w <= windows; w++) {
          Load.Result r = Load.openLoop(vertx, "soak", mixed, rate, sampleEvery);
          // the lag is read before this window's forced GC, whose pause it will see next time
          String metrics = metricsPage(http, node.port);
          out.printf("| %.1f | %.0f | %.1f | %.1f | %d | %.0f | %.0f | %.1f / %.1f |%n",
              w * sampleEvery.toSeconds() / 60.0, r.perSecond(), r.millis(50), r.millis(99), r.errors(),
              node.residentKiB() / 1024.0, node.heapUsedAfterGcKiB() / 1024.0, worstMillis(LAG_P99, metrics),
              worstMillis(LAG_MAX, metrics));
        }
      } finally {
        vertx.close().await();
      }
    } finally {
      deleteTree(config);
    }
  }

  /** The node's Prometheus page. */
  private static String metricsPage(HttpClient http, int port) {
    return HttpBenchmark.send(http, port, HttpMethod.GET, "/metrics", "Bearer " + NodeProcess.ADMIN_TOKEN, null)
        .await().body().toString();
  }

  /** The worst loop's figure of an event-loop lag series on the page, in milliseconds. */
  private static double worstMillis(Pattern series, String page) {
    Matcher m = series.matcher(page);
    double worst = 0;
    while (m.find()) {
      worst = Math.max(worst, Double.parseDouble(m.group(1)) * 1000);
    }
    return worst;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One tenant's people and the numbers of its requests. */
  private record TenantDesk(String tenant, String customer, String agent, List<String> numbers) {

    static TenantDesk create(HttpClient http, int port, String tenant) {
      String base = "/api/v1/tenants/" + tenant;
      expect(HttpBenchmark.send(http, port, HttpMethod.POST, "/api/v1/admin/tenants/" + tenant + "/users",
          "Bearer " + NodeProcess.ADMIN_TOKEN, new JsonObject().put("email", "admin@" + tenant + ".example")
              .put("displayName", "Admin").put("role", "tenant_admin").put("password", "admin-password-1")), 201);
      String admin = login(http, port, base, "admin@" + tenant + ".example", "admin-password-1");
      String org = expect(HttpBenchmark.send(http, port, HttpMethod.POST, base + "/organisations", admin,
          new JsonObject().put("name", "Заказчик")), 201).getString("id");
      expect(HttpBenchmark.send(http, port, HttpMethod.POST, base + "/users", admin, new JsonObject()
          .put("email", "c@" + tenant + ".example").put("displayName", "Customer").put("role", "customer")
          .put("organisationId", org).put("password", "customer-password-1")), 201);
      expect(HttpBenchmark.send(http, port, HttpMethod.POST, base + "/users", admin, new JsonObject()
          .put("email", "a@" + tenant + ".example").put("displayName", "Agent").put("role", "agent")
          .put("password", "agent-password-1")), 201);
      return new TenantDesk(tenant, login(http, port, base, "c@" + tenant + ".example", "customer-password-1"),
          login(http, port, base, "a@" + tenant + ".example", "agent-password-1"), new CopyOnWriteArrayList<>());
    }

    Future<Integer> create(HttpClient http, int port, long i) {
      return HttpBenchmark.send(http, port, HttpMethod.POST, "/api/v1/tenants/" + tenant + "/requests", customer,
          body(i)).map(r -> {
            if (r.status() == 201) {
              numbers.add(r.body().toJsonObject().getString("number"));
            }
            return r.status();
          });
    }

    String anyNumber(long i) {
      return numbers.get((int) (i % numbers.size()));
    }

    Future<Integer> call(HttpClient http, int port, HttpMethod method, String path, String auth, JsonObject body) {
      return HttpBenchmark.send(http, port, method, "/api/v1/tenants/" + tenant + path, auth, body)
          .map(HttpBenchmark.Reply::status);
    }

    /**
     * АСМО (and its generated copies) also requires a service, a priority and the expected date;
     * ЦИК-Алекон's portal requires its Appendix 1 form.
     */
    private JsonObject body(long i) {
      if (tenant.equals("asmo") || tenant.startsWith("bench-")) {
        return HttpBenchmark.ticketBody(i);
      }
      JsonObject body = new JsonObject().put("subject", "Не формируется отчёт " + i)
          .put("description", "Отчёт падает с ошибкой");
      if (tenant.equals("cik-alekon")) {
        body.put("form", new JsonObject().put("organisation", "ТИК Заречного района")
            .put("contact-email", "it@tik.example").put("contact-phones", "+7 495 123-45-67")
            .put("request-datetime", "2026-11-23T10:00:00+03:00").put("system-description", "ГАС «Выборы», КСА ТИК")
            .put("problem-description", "Отчёт не формируется").put("first-failure-date", "2026-11-20")
            .put("failure-frequency", "каждый раз").put("causing-actions", "Формирование отчёта")
            .put("support-method", "phone"));
      }
      return body;
    }

    private static String login(HttpClient http, int port, String base, String email, String password) {
      return "Bearer " + expect(HttpBenchmark.send(http, port, HttpMethod.POST, base + "/auth/login", null,
          new JsonObject().put("email", email).put("password", password)), 200).getString("accessToken");
    }

    private static JsonObject expect(Future<HttpBenchmark.Reply> reply, int status) {
      HttpBenchmark.Reply r = reply.await();
      if (r.status() != status) {
        throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.body());
      }
      return r.body().toJsonObject();
    }
  }
}
