package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.UserAccount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Organisations, users and /me over real HTTP and PostgreSQL: who may see and change what. */
class PeopleAccessTest {

  static TestApi api;
  static String tenant;
  static String otherTenant;
  static UUID alfa;
  static UUID beta;
  static UUID foreignOrganisation;
  static UserAccount admin;
  static UserAccount coordinator;
  static UserAccount agent;
  static UserAccount anna;
  static UserAccount boris;
  static UserAccount vera;
  static UserAccount foreignAdmin;
  static UserAccount foreignCustomer;

  @BeforeAll
  static void start() {
    api = new TestApi();
    tenant = api.tenant();
    otherTenant = api.tenant();
    alfa = api.organisation(tenant, "Альфа");
    beta = api.organisation(tenant, "Бета");
    foreignOrganisation = api.organisation(otherTenant, "Чужая");
    admin = api.user(tenant, Role.TENANT_ADMIN, null);
    coordinator = api.user(tenant, Role.COORDINATOR, null);
    agent = api.user(tenant, Role.AGENT, null);
    anna = api.user(tenant, Role.CUSTOMER, alfa);
    boris = api.user(tenant, Role.CUSTOMER, alfa);
    vera = api.user(tenant, Role.CUSTOMER, beta);
    foreignAdmin = api.user(otherTenant, Role.TENANT_ADMIN, null);
    foreignCustomer = api.user(otherTenant, Role.CUSTOMER, foreignOrganisation);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static HttpResponse<Buffer> call(HttpMethod method, String path, UserAccount as, JsonObject body) {
    return call(method, tenant, path, as, body);
  }

  static HttpResponse<Buffer> call(HttpMethod method, String tenantId, String path, UserAccount as, JsonObject body) {
    var request = api.request(method, tenantId, path, as == null ? null : api.bearer(as));
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  static List<String> ids(HttpResponse<Buffer> page) {
    JsonArray items = page.bodyAsJsonObject().getJsonArray("items");
    return items.stream().map(i -> ((JsonObject) i).getString("id")).toList();
  }

  @Test
  @DisplayName("a tenant admin creates an organisation with its contract terms, and only a change naming the current ETag is applied")
  void adminCreatesAndChangesOrganisationWithOptimisticConcurrency() throws Exception {
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/organisations", admin, new JsonObject()
        .put("name", "Гамма").put("emailDomains", new JsonArray().add("Gamma.ru"))
        .put("contractNumber", "Д-17").put("contractStart", "2025-01-01")
        .put("freeSupportUntil", "2025-12-31").put("warrantyUntil", "2026-06-30"));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject gamma = created.bodyAsJsonObject();
    assertThat(gamma.getJsonArray("emailDomains")).containsExactly("gamma.ru");
    assertThat(gamma.getString("warrantyUntil")).isEqualTo("2026-06-30");
    assertThat(created.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(created.getHeader("Location")).endsWith("/organisations/" + gamma.getString("id"));

    String path = "/organisations/" + gamma.getString("id");
    HttpResponse<Buffer> noIfMatch = call(HttpMethod.PATCH, path, admin, new JsonObject().put("name", "Гамма-2"));
    HttpResponse<Buffer> changed = api.request(HttpMethod.PATCH, tenant, path, api.bearer(admin))
        .putHeader("If-Match", "\"1\"").sendJsonObject(new JsonObject().put("contractNumber", "Д-18").putNull("warrantyUntil")).await();
    HttpResponse<Buffer> stale = api.request(HttpMethod.PATCH, tenant, path, api.bearer(admin))
        .putHeader("If-Match", "\"1\"").sendJsonObject(new JsonObject().put("name", "Потерянное изменение")).await();

    assertThat(noIfMatch.statusCode()).isEqualTo(428);
    assertThat(noIfMatch.bodyAsJsonObject().getString("code")).isEqualTo("request.if-match-required");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isEqualTo("\"2\"");
    assertThat(changed.bodyAsJsonObject().getString("name")).isEqualTo("Гамма");
    assertThat(changed.bodyAsJsonObject().getValue("warrantyUntil")).isNull();
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.bodyAsJsonObject().getString("code")).isEqualTo("organisation.version-conflict");
    assertThat(TestApi.row("SELECT name, contract_number, warranty_until, version FROM organisation WHERE id = ?",
        UUID.fromString(gamma.getString("id")))).containsExactly("Гамма", "Д-18", null, 2);
  }

  @Test
  @DisplayName("organisation lists page, filter and sort; a customer's list holds only their own organisation")
  void organisationListsArePagedAndNarrowedForCustomers() {
    HttpResponse<Buffer> firstPage = call(HttpMethod.GET, "/organisations?sort=-name&limit=1&q=%D0%B0", agent, null);
    assertThat(firstPage.statusCode()).isEqualTo(200);
    assertThat(firstPage.bodyAsJsonObject().getLong("total")).isGreaterThanOrEqualTo(2);
    assertThat(ids(firstPage)).hasSize(1);

    HttpResponse<Buffer> own = call(HttpMethod.GET, "/organisations", anna, null);
    assertThat(ids(own)).containsExactly(alfa.toString());
    assertThat(own.bodyAsJsonObject().getLong("total")).isEqualTo(1);

    HttpResponse<Buffer> badSort = call(HttpMethod.GET, "/organisations?sort=secret", admin, null);
    assertThat(badSort.statusCode()).isEqualTo(400);
    assertThat(badSort.bodyAsJsonObject().getString("code")).isEqualTo("page.sort-invalid");
  }

  @Test
  @DisplayName("a tenant admin creates an account with an initial password: PostgreSQL holds an Argon2id hash and the person can sign in")
  void adminCreatesUserWhoCanSignIn() throws Exception {
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/users", admin, new JsonObject()
        .put("email", "galina@alfa.ru").put("displayName", "Галина").put("role", "customer")
        .put("organisationId", alfa.toString()).put("password", "начальный пароль"));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject galina = created.bodyAsJsonObject();
    assertThat(galina.getString("role")).isEqualTo("customer");
    assertThat(galina.getBoolean("hasPassword")).isTrue();
    assertThat(galina.encode()).doesNotContain("argon2");

    assertThat((String) TestApi.row("SELECT password_hash FROM app_user WHERE id = ?",
        UUID.fromString(galina.getString("id"))).get(0)).startsWith("$argon2id$");
    HttpResponse<Buffer> login = api.request(HttpMethod.POST, tenant, "/auth/login", null)
        .sendJsonObject(new JsonObject().put("email", "galina@alfa.ru").put("password", "начальный пароль")).await();
    assertThat(login.statusCode()).isEqualTo(200);

    HttpResponse<Buffer> shortPassword = call(HttpMethod.POST, "/users", admin, new JsonObject()
        .put("email", "x@alfa.ru").put("displayName", "X").put("role", "agent").put("password", "short"));
    HttpResponse<Buffer> customerWithoutOrganisation = call(HttpMethod.POST, "/users", admin, new JsonObject()
        .put("email", "y@alfa.ru").put("displayName", "Y").put("role", "customer"));
    HttpResponse<Buffer> foreignOrg = call(HttpMethod.POST, "/users", admin, new JsonObject()
        .put("email", "z@alfa.ru").put("displayName", "Z").put("role", "customer")
        .put("organisationId", foreignOrganisation.toString()));
    assertThat(shortPassword.bodyAsJsonObject().getString("code")).isEqualTo("user.password-length");
    assertThat(customerWithoutOrganisation.bodyAsJsonObject().getString("code")).isEqualTo("user.organisation-required");
    assertThat(foreignOrg.bodyAsJsonObject().getString("code")).isEqualTo("user.organisation-unknown");
  }

  @Test
  @DisplayName("a customer lists and reads only colleagues of their own organisation; staff read everyone of the tenant")
  void customersSeeOnlyTheirOrganisation() {
    assertThat(ids(call(HttpMethod.GET, "/users?role=customer&sort=email", anna, null)))
        .containsExactlyInAnyOrder(anna.id().toString(), boris.id().toString())
        .doesNotContain(vera.id().toString());
    assertThat(ids(call(HttpMethod.GET, "/users?organisationId=" + beta, anna, null))).isEmpty();
    assertThat(call(HttpMethod.GET, "/users/" + vera.id(), anna, null).statusCode()).isEqualTo(404);
    assertThat(call(HttpMethod.GET, "/users/" + boris.id(), anna, null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/organisations/" + beta, anna, null).statusCode()).isEqualTo(404);

    assertThat(ids(call(HttpMethod.GET, "/users?role=customer&organisationId=" + beta, agent, null)))
        .containsExactly(vera.id().toString());
    assertThat(call(HttpMethod.GET, "/users/" + vera.id(), agent, null).bodyAsJsonObject().getString("email"))
        .isEqualTo(vera.email());
    assertThat(call(HttpMethod.GET, "/organisations/" + beta, agent, null).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("every role gets exactly the endpoints it should: tenant admins write, staff read, customers read their own")
  void roleEndpointMatrix() {
    String newOrg = new JsonObject().put("name", "Матрица").encode();
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (UserAccount who : List.of(admin, coordinator, agent, anna)) {
      boolean isAdmin = who == admin;
      boolean isStaff = who != anna;
      String r = who.role().code();
      expected.put(r + " GET /me", 200);
      expected.put(r + " GET /organisations", 200);
      expected.put(r + " GET /organisations/alfa", 200);
      expected.put(r + " GET /organisations/beta", isStaff ? 200 : 404);
      expected.put(r + " POST /organisations", isAdmin ? 201 : 403);
      expected.put(r + " PATCH /organisations/beta", isAdmin ? 428 : 403);
      expected.put(r + " GET /users", 200);
      expected.put(r + " GET /users/vera", isStaff ? 200 : 404);
      expected.put(r + " POST /users", isAdmin ? 400 : 403);
      expected.put(r + " POST /users/boris/enable", isAdmin ? 200 : 403);
      expected.put(r + " GET /api-keys", isAdmin ? 200 : 403);
      expected.put(r + " POST /api-keys", isAdmin ? 400 : 403);
    }
    Map<String, Integer> actual = new LinkedHashMap<>();
    for (UserAccount who : List.of(admin, coordinator, agent, anna)) {
      String r = who.role().code();
      actual.put(r + " GET /me", call(HttpMethod.GET, "/me", who, null).statusCode());
      actual.put(r + " GET /organisations", call(HttpMethod.GET, "/organisations", who, null).statusCode());
      actual.put(r + " GET /organisations/alfa", call(HttpMethod.GET, "/organisations/" + alfa, who, null).statusCode());
      actual.put(r + " GET /organisations/beta", call(HttpMethod.GET, "/organisations/" + beta, who, null).statusCode());
      actual.put(r + " POST /organisations", call(HttpMethod.POST, "/organisations", who,
          new JsonObject(newOrg).put("name", "Матрица " + r)).statusCode());
      actual.put(r + " PATCH /organisations/beta", call(HttpMethod.PATCH, "/organisations/" + beta, who,
          new JsonObject().put("name", "Бета")).statusCode());
      actual.put(r + " GET /users", call(HttpMethod.GET, "/users", who, null).statusCode());
      actual.put(r + " GET /users/vera", call(HttpMethod.GET, "/users/" + vera.id(), who, null).statusCode());
      actual.put(r + " POST /users", call(HttpMethod.POST, "/users", who, new JsonObject()).statusCode());
      actual.put(r + " POST /users/boris/enable", call(HttpMethod.POST, "/users/" + boris.id() + "/enable", who, null).statusCode());
      actual.put(r + " GET /api-keys", call(HttpMethod.GET, "/api-keys", who, null).statusCode());
      actual.put(r + " POST /api-keys", call(HttpMethod.POST, "/api-keys", who, new JsonObject()).statusCode());
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  @DisplayName("nothing of another tenant is reachable: its token is refused on this tenant's routes, and its ids are unknown here")
  void crossTenantCallsAreRefused() throws Exception {
    long organisationsBefore = TestApi.rows("organisation", tenant);
    Map<String, Integer> statuses = new LinkedHashMap<>();
    statuses.put("foreign admin lists our users", call(HttpMethod.GET, "/users", foreignAdmin, null).statusCode());
    statuses.put("foreign admin creates here", call(HttpMethod.POST, "/organisations", foreignAdmin,
        new JsonObject().put("name", "Захват")).statusCode());
    statuses.put("foreign customer reads our organisation", call(HttpMethod.GET, "/organisations/" + alfa, foreignCustomer, null).statusCode());
    statuses.put("our admin reads their organisation", call(HttpMethod.GET, "/organisations/" + foreignOrganisation, admin, null).statusCode());
    statuses.put("our admin reads their user", call(HttpMethod.GET, "/users/" + foreignCustomer.id(), admin, null).statusCode());
    statuses.put("our admin disables their user", call(HttpMethod.POST, "/users/" + foreignCustomer.id() + "/disable", admin, null).statusCode());
    statuses.put("our admin changes their organisation", api.request(HttpMethod.PATCH, tenant, "/organisations/" + foreignOrganisation,
        api.bearer(admin)).putHeader("If-Match", "\"1\"").sendJsonObject(new JsonObject().put("name", "Захват")).await().statusCode());
    statuses.put("our admin on their path", call(HttpMethod.GET, otherTenant, "/users", admin, null).statusCode());

    assertThat(statuses).isEqualTo(Map.of(
        "foreign admin lists our users", 403, "foreign admin creates here", 403,
        "foreign customer reads our organisation", 403, "our admin reads their organisation", 404,
        "our admin reads their user", 404, "our admin disables their user", 404,
        "our admin changes their organisation", 404, "our admin on their path", 403));
    assertThat(TestApi.rows("organisation", tenant)).isEqualTo(organisationsBefore);
    assertThat(api.users.findById(otherTenant, foreignCustomer.id()).await().orElseThrow().enabled()).isTrue();
    assertThat(api.organisations.findById(otherTenant, foreignOrganisation).await().orElseThrow().name()).isEqualTo("Чужая");
  }

  @Test
  @DisplayName("disabling an account stores it disabled and ends its sessions; an admin cannot disable themselves")
  void disableUser() throws Exception {
    UserAccount leaving = api.user(tenant, Role.AGENT, null);
    var refresh = new dev.otklik.store.RefreshTokenStore(api.tx, java.time.Clock.systemUTC(), java.time.Duration.ofDays(1))
        .issue(tenant, leaving.id()).await();

    HttpResponse<Buffer> disabled = call(HttpMethod.POST, "/users/" + leaving.id() + "/disable", admin, null);
    HttpResponse<Buffer> self = call(HttpMethod.POST, "/users/" + admin.id() + "/disable", admin, null);
    HttpResponse<Buffer> me = call(HttpMethod.GET, "/me", leaving, null);

    assertThat(disabled.statusCode()).isEqualTo(200);
    assertThat(disabled.bodyAsJsonObject().getBoolean("enabled")).isFalse();
    assertThat(api.users.findById(tenant, leaving.id()).await().orElseThrow().enabled()).isFalse();
    assertThat(TestApi.row("SELECT revoked_at FROM refresh_token WHERE id = ?", refresh.id()).get(0)).isNotNull();
    assertThat(self.statusCode()).isEqualTo(409);
    assertThat(self.bodyAsJsonObject().getString("code")).isEqualTo("user.cannot-disable-self");
    assertThat(me.statusCode()).isEqualTo(401);
    assertThat(me.bodyAsJsonObject().getString("code")).isEqualTo("auth.account-disabled");
  }

  @Test
  @DisplayName("/me is the caller's own profile, without the password hash")
  void meIsOwnProfile() {
    JsonObject me = call(HttpMethod.GET, "/me", anna, null).bodyAsJsonObject();
    assertThat(me.getString("id")).isEqualTo(anna.id().toString());
    assertThat(me.getString("kind")).isEqualTo("user");
    assertThat(me.getString("organisationId")).isEqualTo(alfa.toString());
    assertThat(me.fieldNames()).doesNotContain("passwordHash");
  }
}
