package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks through a whole node: the API registers endpoints (refusing inward URLs), a request
 * filed over HTTP reaches a real receiver signed, and the log, test call and redelivery work.
 * Two nodes: one with the default (loopback refused), one with {@code webhooks.allow-loopback}.
 */
class WebhooksEndToEndTest {

  static final String ADMIN_TOKEN = "test-admin-token";

  @TempDir static Path work;
  static OtklikNode strict;
  static OtklikNode lax;
  static WebClient strictHttp;
  static WebClient laxHttp;
  static HttpServer receiver;
  static final List<JsonObject> received = new CopyOnWriteArrayList<>();

  static OtklikNode node(String name, boolean allowLoopback) throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("http.port", "0");
    settings.put("http.host", "127.0.0.1");
    settings.put("data-dir", work.resolve(name).toString());
    Path tenantDir = TestTenantConfig.copyTo(work.resolve(name + "-tenants"));
    // АСМО declares its Jira in config; the secret would come from the environment.
    java.nio.file.Files.writeString(tenantDir.resolve("asmo.yaml"), "\nwebhooks:\n  - id: jira\n"
        + "    url: \"https://jira.asmo.example/rest/otklik\"\n    events: [\"ticket.sla-breached\"]\n"
        + "    secret-env: OTKLIK_WEBHOOK_ASMO_JIRA\n", java.nio.file.StandardOpenOption.APPEND);
    settings.put("tenant-config", tenantDir.toString());
    settings.put("tenant-reload-interval", "PT0S");
    settings.put("admin-token", ADMIN_TOKEN);
    settings.put("webhooks.allow-loopback", Boolean.toString(allowLoopback));
    settings.put("webhooks.dispatch-interval", "PT0.1S");
    return OtklikNode.start(AppOptions.from(settings));
  }

  @BeforeAll
  static void start() throws Exception {
    strict = node("strict", false);
    lax = node("lax", true);
    strictHttp = WebClient.create(strict.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(strict.httpPort()));
    laxHttp = WebClient.create(lax.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(lax.httpPort()));
    receiver = lax.vertx().createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(new JsonObject().put("id", req.getHeader("webhook-id"))
          .put("timestamp", req.getHeader("webhook-timestamp")).put("signature", req.getHeader("webhook-signature"))
          .put("body", body.toString(StandardCharsets.UTF_8)));
      req.response().setStatusCode(200).end("thanks");
    })).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    if (receiver != null) {
      receiver.close().await();
    }
    if (strict != null) {
      strict.stop();
    }
    if (lax != null) {
      lax.stop();
    }
  }

  static HttpResponse<Buffer> post(WebClient http, String path, String auth, JsonObject body) {
    var request = http.post(path).putHeader("Accept-Language", "en");
    if (auth != null) {
      request.putHeader("Authorization", auth);
    }
    return body == null ? request.send().await() : request.sendJsonObject(body).await();
  }

  static JsonObject ok(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    return r.bodyAsBuffer() == null || r.bodyAsBuffer().length() == 0 ? new JsonObject() : r.bodyAsJsonObject();
  }

  /** The АСМО tenant's first admin, signed in. */
  static String admin(WebClient http) {
    ok(post(http, "/api/v1/admin/tenants/asmo/users", "Bearer " + ADMIN_TOKEN, new JsonObject()
        .put("email", "admin@inform.example").put("displayName", "Админ").put("role", "tenant_admin")
        .put("password", "admin-password-1")), 201);
    return login(http, "admin@inform.example", "admin-password-1");
  }

  static String login(WebClient http, String email, String password) {
    return "Bearer " + ok(post(http, "/api/v1/tenants/asmo/auth/login", null, new JsonObject()
        .put("email", email).put("password", password)), 200).getString("accessToken");
  }

  static boolean signatureValid(String secret, JsonObject r) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(
        (r.getString("id") + "." + r.getString("timestamp") + "." + r.getString("body"))
            .getBytes(StandardCharsets.UTF_8)));
    return List.of(r.getString("signature").split(" ")).contains(expected);
  }

  static void awaitUntil(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  @DisplayName("registering 127.0.0.1, 10.0.0.1, 169.254.169.254 or localhost is a problem+json 400 when loopback is not allowed")
  void inwardUrlsAreRefusedAtRegistration() {
    String admin = admin(strictHttp);
    for (String url : List.of("http://127.0.0.1:8080/hook", "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data", "http://localhost:8080/hook")) {
      HttpResponse<Buffer> r = post(strictHttp, "/api/v1/tenants/asmo/webhooks", admin, new JsonObject()
          .put("url", url).put("eventTypes", List.of("ticket.created")));
      assertThat(r.statusCode()).as(url).isEqualTo(400);
      assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(r.bodyAsJsonObject().getString("code")).as(url).isEqualTo("webhook.url-forbidden");
    }
    HttpResponse<Buffer> ru = strictHttp.post("/api/v1/tenants/asmo/webhooks").putHeader("Authorization", admin)
        .putHeader("Accept-Language", "ru")
        .sendJsonObject(new JsonObject().put("url", "http://10.0.0.1/").put("eventTypes", List.of("*"))).await();
    assertThat(ru.bodyAsJsonObject().getString("title")).isEqualTo("Адрес вебхука запрещён");
    HttpResponse<Buffer> badType = post(strictHttp, "/api/v1/tenants/asmo/webhooks", admin, new JsonObject()
        .put("url", "http://10.0.0.1/").put("eventTypes", List.of("ticket.exploded")));
    assertThat(badType.bodyAsJsonObject().getString("code")).isEqualTo("webhook.event-type-unknown");
  }

  @Test
  @DisplayName("an endpoint registered over the API gets a signed test event and a signed ticket.created; log, redelivery and switching off work")
  void registeredEndpointReceivesSignedEvents() throws Exception {
    String admin = admin(laxHttp);
    String base = "/api/v1/tenants/asmo/webhooks";
    String url = "http://127.0.0.1:" + receiver.actualPort() + "/in";
    HttpResponse<Buffer> refused = post(laxHttp, base, admin, new JsonObject().put("url", "http://10.0.0.1/")
        .put("eventTypes", List.of("*")));
    assertThat(refused.statusCode()).isEqualTo(400);
    HttpResponse<Buffer> createdResponse = laxHttp.post(base).putHeader("Authorization", admin)
        .putHeader("Idempotency-Key", "hook-1").sendJsonObject(new JsonObject().put("url", url)
            .put("eventTypes", List.of("ticket.created", "ticket.comment-added")).put("description", "Jira")).await();
    JsonObject endpoint = ok(createdResponse, 201);
    String secret = endpoint.getString("secret");
    assertThat(secret).startsWith("whsec_");
    String id = endpoint.getString("id");
    // The same Idempotency-Key creates nothing new.
    HttpResponse<Buffer> again = laxHttp.post(base).putHeader("Authorization", admin)
        .putHeader("Idempotency-Key", "hook-1").sendJsonObject(new JsonObject().put("url", url)
            .put("eventTypes", List.of("ticket.created", "ticket.comment-added")).put("description", "Jira")).await();
    assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(id);
    JsonObject listed = laxHttp.get(base).putHeader("Authorization", admin).send().await().bodyAsJsonObject();
    assertThat(listed.getInteger("total")).isEqualTo(2);
    JsonObject jira = listed.getJsonArray("items").getJsonObject(0);
    assertThat(jira.getString("source")).isEqualTo("config");
    assertThat(jira.getString("configKey")).isEqualTo("jira");
    assertThat(jira.getString("secretEnv")).isEqualTo("OTKLIK_WEBHOOK_ASMO_JIRA");
    HttpResponse<Buffer> managed = laxHttp.patch(base + "/" + jira.getString("id")).putHeader("Authorization", admin)
        .sendJsonObject(new JsonObject().put("url", "https://elsewhere.example/")).await();
    assertThat(managed.statusCode()).isEqualTo(409);
    assertThat(managed.bodyAsJsonObject().getString("code")).isEqualTo("webhook.config-managed");

    String testId = ok(post(laxHttp, base + "/" + id + "/test", admin, null), 202).getString("deliveryId");
    awaitUntil("the test event arrives", () -> received.size() == 1);
    assertThat(received.get(0).getString("id")).isEqualTo(testId);
    assertThat(new JsonObject(received.get(0).getString("body")).getString("type")).isEqualTo("webhook.test");
    assertThat(signatureValid(secret, received.get(0))).isTrue();

    String org = ok(post(laxHttp, "/api/v1/tenants/asmo/organisations", admin, new JsonObject()
        .put("name", "ГБУЗ «Больница»")), 201).getString("id");
    ok(post(laxHttp, "/api/v1/tenants/asmo/users", admin, new JsonObject().put("email", "anna@hospital.example")
        .put("displayName", "Анна").put("role", "customer").put("organisationId", org)
        .put("password", "customer-password-1")), 201);
    String customer = login(laxHttp, "anna@hospital.example", "customer-password-1");
    String number = ok(post(laxHttp, "/api/v1/tenants/asmo/requests", customer, new JsonObject()
        .put("subject", "Не формируется отчёт").put("description", "Ошибка").put("service", "error-fixing")
        .put("priority", "high").put("form", new JsonObject().put("expected-resolution-date", "2026-12-15"))), 201)
        .getString("number");
    awaitUntil("ticket.created arrives", () -> received.size() == 2);
    JsonObject message = new JsonObject(received.get(1).getString("body"));
    assertThat(message.getString("type")).isEqualTo("ticket.created");
    assertThat(message.getInteger("version")).isEqualTo(1);
    assertThat(message.getJsonObject("data").getString("number")).isEqualTo(number);
    assertThat(signatureValid(secret, received.get(1))).isTrue();

    awaitUntil("both attempts are logged", () -> laxHttp.get(base + "/" + id + "/attempts")
        .putHeader("Authorization", admin).send().await().bodyAsJsonObject().getInteger("total") == 2);
    JsonObject log = laxHttp.get(base + "/" + id + "/attempts").putHeader("Authorization", admin).send().await()
        .bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
    assertThat(log.getInteger("response_status")).isEqualTo(200);
    assertThat(log.getString("response_body")).isEqualTo("thanks");
    assertThat(log.getInteger("attempt")).isEqualTo(1);

    ok(post(laxHttp, base + "/" + id + "/deliveries/" + testId + "/redeliver", admin, null), 202);
    awaitUntil("the redelivered test event arrives", () -> received.size() == 3);
    assertThat(received.get(2).getString("id")).isEqualTo(testId);

    JsonObject off = ok(laxHttp.patch(base + "/" + id).putHeader("Authorization", admin)
        .sendJsonObject(new JsonObject().put("enabled", false)).await(), 200);
    assertThat(off.getBoolean("enabled")).isFalse();
    String customerAgain = login(laxHttp, "anna@hospital.example", "customer-password-1");
    ok(post(laxHttp, "/api/v1/tenants/asmo/requests/" + number + "/comments", customerAgain,
        new JsonObject().put("body", "Есть новости?")), 201);
    Thread.sleep(500);
    assertThat(received).hasSize(3);
    ok(laxHttp.delete(base + "/" + id).putHeader("Authorization", admin).send().await(), 204);
  }
}
