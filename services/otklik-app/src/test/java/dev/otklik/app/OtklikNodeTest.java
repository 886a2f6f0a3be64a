package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole node in this JVM: embedded PostgreSQL, migrations, the real tenant files (a copy the
 * tests may change), HTTP on a free port. Asserts on HTTP answers and database rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OtklikNodeTest {

  static final String ADMIN_TOKEN = "test-admin-token";
  static final List<String> SEED_TENANTS = List.of("amber-crm", "asmo", "cik-alekon", "imc", "risk-pro");

  @TempDir static Path work;
  static Path tenantDir;
  static OtklikNode node;
  static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    tenantDir = TestTenantConfig.copyTo(work.resolve("tenant-config"));
    Map<String, String> settings = TestNodes.settings(work, ADMIN_TOKEN, tenantDir);
    settings.put("tenant-reload-interval", "PT0.3S"); // this test hot-loads tenant files
    settings.remove("http.instances"); // the deployed default
    node = OtklikNode.start(AppOptions.from(settings));
    http = WebClient.create(node.vertx(), new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
  }

  static HttpResponse<Buffer> get(String path, String... headers) {
    var request = http.get(path);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.send().await();
  }

  static JsonObject waitForTenant(String id, Predicate<HttpResponse<Buffer>> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    HttpResponse<Buffer> last = null;
    while (System.nanoTime() < deadline) {
      last = get("/api/v1/tenants/" + id);
      if (condition.test(last)) {
        return last.bodyAsJsonObject();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("tenant " + id + " never reached the expected state; last answer "
        + (last == null ? "none" : last.statusCode() + " " + last.bodyAsString()));
  }

  @Test
  @Order(1)
  @DisplayName("GET /api/v1/tenants lists the five seed vendors with their catalogues and contacts")
  void listsTheFiveSeedVendors() {
    HttpResponse<Buffer> response = get("/api/v1/tenants");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject page = response.bodyAsJsonObject();
    assertThat(page.getInteger("total")).isEqualTo(5);
    JsonArray items = page.getJsonArray("items");
    assertThat(items.stream().map(o -> ((JsonObject) o).getString("id")).toList())
        .containsExactlyElementsOf(SEED_TENANTS);
    for (Object o : items) {
      JsonObject tenant = (JsonObject) o;
      assertThat(tenant.getJsonArray("channels")).as(tenant.getString("id") + " channels").isNotEmpty();
      assertThat(tenant.getJsonArray("catalogue")).as(tenant.getString("id") + " catalogue").isNotEmpty();
      assertThat(tenant.getJsonObject("identity").getJsonObject("name").getString("ru")).isNotBlank();
    }
  }

  @Test
  @Order(2)
  @DisplayName("one vendor's public view carries its contacts, hours and SLA table")
  void oneVendorsPublicView() {
    JsonObject cik = get("/api/v1/tenants/cik-alekon").bodyAsJsonObject();
    assertThat(cik.getJsonArray("channels").encode()).contains("help@цик-алекон.рф");
    assertThat(cik.getJsonObject("calendar").getString("timeZone")).isEqualTo("Europe/Moscow");
    assertThat(cik.getJsonObject("sla").getString("policy")).isEqualTo("matrix");
    assertThat(cik.getJsonObject("sla").getJsonArray("cells").encode()).contains("4 clock-hours");

    JsonObject riskPro = get("/api/v1/tenants/risk-pro").bodyAsJsonObject();
    assertThat(riskPro.getJsonObject("sla").getString("policy")).isEqualTo("none");
    assertThat(riskPro.getJsonObject("sla").getJsonObject("statement").getString("ru")).isNotBlank();

    HttpResponse<Buffer> logo = get("/api/v1/tenants/asmo/logo");
    assertThat(logo.statusCode()).isEqualTo(200);
    assertThat(logo.getHeader("Content-Type")).isEqualTo("image/svg+xml");
    assertThat(logo.bodyAsString()).contains("<svg");
  }

  @Test
  @Order(3)
  @DisplayName("health and readiness answer UP once the database and tenants are there")
  void healthAndReadiness() {
    assertThat(get("/health").bodyAsJsonObject().getString("status")).isEqualTo("UP");
    HttpResponse<Buffer> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getString("database")).isEqualTo("UP");
  }

  @Test
  @Order(4)
  @DisplayName("errors are problem details with a stable code, in the caller's language")
  void errorsAreLocalisedProblemDetails() {
    HttpResponse<Buffer> ru = get("/api/v1/tenants/nope", "Accept-Language", "ru-RU,ru;q=0.9");
    assertThat(ru.statusCode()).isEqualTo(404);
    assertThat(ru.getHeader("Content-Type")).startsWith("application/problem+json");
    JsonObject problem = ru.bodyAsJsonObject();
    assertThat(problem.getString("code")).isEqualTo("tenant.not-found");
    assertThat(problem.getString("detail")).isEqualTo("Арендатора «nope» нет.");
    assertThat(problem.getString("requestId")).isEqualTo(ru.getHeader("X-Request-Id"));

    HttpResponse<Buffer> paging = get("/api/v1/tenants?limit=abc");
    assertThat(paging.statusCode()).isEqualTo(400);
    assertThat(paging.bodyAsJsonObject().getString("code")).isEqualTo("page.invalid");

    HttpResponse<Buffer> unknown = get("/api/v1/nothing-here");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("code")).isEqualTo("route.not-found");
  }

  @Test
  @Order(5)
  @DisplayName("each seed tenant's config version is recorded in PostgreSQL under its own tenant")
  void configVersionsAreRecorded() throws Exception {
    try (Connection c = superuser();
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT t.id, t.current_version, v.content_hash FROM tenant t "
                + "JOIN tenant_config_version v ON v.tenant_id = t.id AND v.version = t.current_version ORDER BY t.id")) {
      List<String> ids = new java.util.ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
        assertThat(rs.getString(3)).isNotBlank();
      }
      assertThat(ids).containsExactlyElementsOf(SEED_TENANTS);
    }
  }

  @Test
  @Order(6)
  @DisplayName("a sixth tenant file dropped into the directory appears without a restart; breaking it keeps the old version")
  void sixthTenantHotReload() throws Exception {
    String yaml = Files.readString(tenantDir.resolve("asmo.yaml"))
        .replaceFirst("(?m)^id: asmo\\s*$", "id: acme")
        .replaceFirst("(?m)^request-number-prefix: ASMO\\s*$", "request-number-prefix: ACME");
    Path file = tenantDir.resolve("acme.yaml");
    Files.writeString(file, yaml);

    JsonObject acme = waitForTenant("acme", r -> r.statusCode() == 200);
    assertThat(acme.getString("requestNumberPrefix")).isEqualTo("ACME");
    assertThat(get("/api/v1/tenants").bodyAsJsonObject().getInteger("total")).isEqualTo(6);

    // An unknown key makes the new version invalid: the node must keep serving the old one.
    Files.writeString(file, yaml + "\nno-such-key: true\n");
    Thread.sleep(1500);
    HttpResponse<Buffer> still = get("/api/v1/tenants/acme");
    assertThat(still.statusCode()).isEqualTo(200);
    assertThat(still.bodyAsJsonObject().getString("requestNumberPrefix")).isEqualTo("ACME");

    HttpResponse<Buffer> report = http.post("/api/v1/admin/tenants/reload")
        .putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send().await();
    assertThat(report.statusCode()).isEqualTo(422);
    assertThat(report.bodyAsJsonObject().getJsonArray("refused").encode())
        .contains("acme.yaml").contains("no-such-key");

    Files.delete(file);
    waitForTenant("acme", r -> r.statusCode() == 404);
    // Its row stays (requests may reference it) but is marked off.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    boolean enabled = true;
    while (enabled && System.nanoTime() < deadline) {
      try (Connection c = superuser();
          ResultSet rs = c.createStatement().executeQuery("SELECT enabled FROM tenant WHERE id = 'acme'")) {
        assertThat(rs.next()).isTrue();
        enabled = rs.getBoolean(1);
      }
      Thread.sleep(100);
    }
    assertThat(enabled).as("removed tenant disabled in PostgreSQL").isFalse();
  }

  @Test
  @Order(7)
  @DisplayName("admin calls need the admin token")
  void adminCallsNeedTheToken() {
    assertThat(http.post("/api/v1/admin/tenants/reload").send().await().statusCode()).isEqualTo(401);
    assertThat(http.post("/api/v1/admin/tenants/reload").putHeader("Authorization", "Bearer wrong")
        .send().await().statusCode()).isEqualTo(401);
    HttpResponse<Buffer> ok = http.post("/api/v1/admin/tenants/reload")
        .putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send().await();
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject().getJsonArray("refused")).isEmpty();
  }

  static JsonObject post(String path, String authorization, JsonObject body, int expectedStatus) {
    HttpResponse<Buffer> r = http.post(path).putHeader("Authorization", authorization).sendJsonObject(body).await();
    assertThat(r.statusCode()).as(path + " -> " + r.bodyAsString()).isEqualTo(expectedStatus);
    return r.bodyAsJsonObject();
  }

  static String login(String email, String password) {
    HttpResponse<Buffer> r = http.post("/api/v1/tenants/asmo/auth/login")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)).await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return "Bearer " + r.bodyAsJsonObject().getString("accessToken");
  }

  @Test
  @Order(8)
  @DisplayName("the README walkthrough works on the real АСМО config: first admin, people, a customer's request, the agent's solution, the customer's acceptance")
  void readmeWalkthrough() {
    String t = "/api/v1/tenants/asmo";
    post("/api/v1/admin/tenants/asmo/users", "Bearer " + ADMIN_TOKEN, new JsonObject()
        .put("email", "admin@inform.example").put("displayName", "Администратор").put("role", "tenant_admin")
        .put("password", "admin-password-1"), 201);
    String admin = login("admin@inform.example", "admin-password-1");
    String org = post(t + "/organisations", admin, new JsonObject().put("name", "ГБУЗ «Областная больница»"), 201)
        .getString("id");
    post(t + "/users", admin, new JsonObject().put("email", "anna@hospital.example").put("displayName", "Анна")
        .put("role", "customer").put("organisationId", org).put("password", "customer-password-1"), 201);
    post(t + "/users", admin, new JsonObject().put("email", "ivan@inform.example").put("displayName", "Иван")
        .put("role", "agent").put("password", "agent-password-1"), 201);

    String customer = login("anna@hospital.example", "customer-password-1");
    JsonObject created = post(t + "/requests", customer, new JsonObject()
        .put("subject", "Не формируется отчёт").put("description", "Отчёт по приёмам падает с ошибкой")
        .put("service", "error-fixing").put("priority", "high")
        .put("form", new JsonObject().put("expected-resolution-date", "2026-12-15")), 201);
    String number = created.getString("number");
    assertThat(number).matches("ASMO-20\\d\\d-\\d{6}");
    assertThat(created.getString("status")).isEqualTo("new");

    String agent = login("ivan@inform.example", "agent-password-1");
    String r = t + "/requests/" + number;
    post(r + "/comments", agent, new JsonObject().put("body", "Проверяем, пришлите версию АСМО"), 201);
    post(r + "/transitions", agent, new JsonObject().put("action", "start"), 200);
    post(r + "/transitions", agent, new JsonObject().put("action", "propose-solution"), 200);
    JsonObject accepted = post(r + "/transitions", customer, new JsonObject().put("action", "accept"), 200);
    assertThat(accepted.getString("status")).isEqualTo("accepted");

    HttpResponse<Buffer> history = http.get(r + "/events").putHeader("Authorization", customer).send().await();
    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(history.bodyAsString()).contains("accepted");
  }

  static Connection superuser() throws Exception {
    var endpoint = node.databaseEndpoint();
    return DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.migrationUser(), endpoint.migrationPassword());
  }
}
