package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.TestClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole node on the real ИМЦ config with a hand-moved clock: REST calls drive a request
 * through a wait for the customer, and the node's own SLA timer verticle fires the warning and
 * the breach. Assertions read the API's deadlines and the request's event history.
 */
class SlaEndToEndTest {

  static final String ADMIN_TOKEN = "sla-e2e-admin-token";
  static final String T = "/api/v1/tenants/imc";

  @TempDir static Path work;
  static OtklikNode node;
  static WebClient http;
  static NodeHttp api;
  /** Wednesday 10 June 2026, 09:00 in Moscow. */
  static final TestClock clock = new TestClock(Instant.parse("2026-06-10T06:00:00Z"));

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = TestNodes.settings(work, ADMIN_TOKEN);
    node = OtklikNode.start(AppOptions.from(settings), clock);
    http = WebClient.create(node.vertx(), new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()));
    api = new NodeHttp(http, T);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  @DisplayName("ИМЦ error/urgent over REST: a wait for the customer moves the solution's due time by exactly the business time waited (16 h across a shortened day and the 12 June holiday); the warning and the breach each appear once")
  void pauseResumeWarningAndBreach() throws Exception {
    api.post("/api/v1/admin/tenants/imc/users", "Bearer " + ADMIN_TOKEN, new JsonObject()
        .put("email", "admin@imc.example").put("displayName", "Администратор").put("role", "tenant_admin")
        .put("password", "admin-password-1"), 201);
    String admin = api.login("admin@imc.example", "admin-password-1");
    String org = api.post(T + "/organisations", admin, new JsonObject().put("name", "Заказчик"), 201).getString("id");
    api.post(T + "/users", admin, new JsonObject().put("email", "olga@customer.example").put("displayName", "Ольга")
        .put("role", "customer").put("organisationId", org).put("password", "customer-password-1"), 201);
    api.post(T + "/users", admin, new JsonObject().put("email", "petr@imc.example").put("displayName", "Пётр")
        .put("role", "agent").put("password", "agent-password-1"), 201);
    String customer = api.login("olga@customer.example", "customer-password-1");
    String agent = api.login("petr@imc.example", "agent-password-1");

    String number = api.post(T + "/requests", customer, new JsonObject()
        .put("subject", "Не проводится документ").put("description", "Ошибка при проведении")
        .put("category", "error").put("priority", "urgent"), 201).getString("number");
    String r = T + "/requests/" + number;

    clock.advance(Duration.ofHours(1)); // Wed 10:00: triage ends, the solution's clock starts
    api.post(r + "/transitions", agent, new JsonObject().put("action", "start"), 200);
    JsonObject before = deadline(api.get(r, agent), "resolution");
    assertThat(before.getString("status")).isEqualTo("running");
    assertThat(before.getString("dueAt")).isEqualTo("2026-06-11T07:00:00Z"); // Thu 10:00

    clock.advance(Duration.ofHours(2)); // Wed 12:00
    api.post(r + "/transitions", agent, new JsonObject().put("action", "ask-clarification"), 200);
    assertThat(deadline(api.get(r, agent), "resolution").getString("status")).isEqualTo("paused");

    // Wed 12-18 (6 h) + Thu 11 June, shortened before the holiday, 9-17 (8 h) + Fri 12 June
    // holiday + weekend + Mon 9-11 (2 h) = 16 working hours waited.
    clock.advance(Duration.between(Instant.parse("2026-06-10T09:00:00Z"), Instant.parse("2026-06-15T08:00:00Z")));
    api.post(r + "/transitions", customer, new JsonObject().put("action", "reply"), 200);
    JsonObject resumed = deadline(api.get(r, agent), "resolution");
    assertThat(resumed.getString("status")).isEqualTo("running");
    // 7 working hours were left at the pause (Wed 12-18, Thu 9-10): Mon 11:00 + 7 h = Mon 18:00.
    assertThat(resumed.getString("dueAt")).isEqualTo("2026-06-15T15:00:00Z");
    assertThat(resumed.getString("warnAt")).isEqualTo("2026-06-15T11:00:00Z"); // 4 working hours before
    assertThat(resumed.getLong("pausedSeconds")).isEqualTo(Duration.ofHours(16).toSeconds());

    clock.advance(Duration.ofMinutes(3 * 60 + 30)); // Mon 14:30, past the warning
    waitForEvents(r, agent, "sla-warning", 1);
    clock.advance(Duration.ofHours(4)); // Mon 18:30, past the due time
    waitForEvents(r, agent, "sla-breached", 1);
    assertThat(deadline(api.get(r, agent), "resolution").getString("status")).isEqualTo("breached");

    // Another round of the timer verticle finds nothing more to fire.
    Thread.sleep(SlaTimerVerticle.DEFAULT_INTERVAL.plusSeconds(1).toMillis());
    JsonArray events = events(r, agent);
    assertThat(count(events, "sla-warning", "resolution")).isEqualTo(1);
    assertThat(count(events, "sla-breached", "resolution")).isEqualTo(1);
    // The customer's history shows neither vendor-side alarm.
    JsonArray seenByCustomer = events(r, customer);
    assertThat(count(seenByCustomer, "sla-warning", "resolution") + count(seenByCustomer, "sla-breached", "resolution"))
        .isZero();
  }

  static JsonObject deadline(JsonObject request, String target) {
    return request.getJsonArray("deadlines").stream().map(JsonObject.class::cast)
        .filter(d -> target.equals(d.getString("target"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + target + " deadline in " + request.encodePrettily()));
  }

  static long count(JsonArray events, String type, String target) {
    return events.stream().map(JsonObject.class::cast)
        .filter(e -> type.equals(e.getString("type")))
        .filter(e -> e.getJsonObject("after") != null && target.equals(e.getJsonObject("after").getString("target")))
        .count();
  }

  static void waitForEvents(String request, String authorization, String type, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonArray events = events(request, authorization);
    while (count(events, type, "resolution") < expected && System.nanoTime() < deadline) {
      Thread.sleep(200);
      events = events(request, authorization);
    }
    assertThat(count(events, type, "resolution")).as(events.encodePrettily()).isEqualTo(expected);
  }

  static JsonArray events(String request, String authorization) {
    HttpResponse<Buffer> r = http.get(request + "/events").putHeader("Authorization", authorization).send().await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    return body.getJsonArray("items");
  }



}
