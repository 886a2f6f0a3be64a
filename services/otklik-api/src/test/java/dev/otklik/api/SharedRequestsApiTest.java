package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.core.auth.Role;
import dev.otklik.store.OrganisationStore;
import dev.otklik.store.OrganisationStore.OrganisationDetails;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestTenants;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Shared requests over real HTTP and PostgreSQL: a customer in several organisations (memberships
 * set by the tenant admin, carried in the access token), filing for one of them, and watchers.
 */
class SharedRequestsApiTest {

  static final JwtKeys KEYS = JwtKeys.hs256("a-shared-requests-test-secret-of-32-bytes+", "otklik", "otklik-api",
      Duration.ofMinutes(15));
  static final Set<String> TENANTS = ConcurrentHashMap.newKeySet();
  static final TenantSource SOURCE = new TenantSource() {
    public List<JsonObject> configs() { return TENANTS.stream().map(id -> config(id).orElseThrow()).toList(); }
    public Optional<JsonObject> config(String id) {
      return TENANTS.contains(id) ? Optional.of(new JsonObject().put("id", id).put("enabled", true)
          .put("request-number-prefix", "SHR").put("calendar", new JsonObject().put("time-zone", "Europe/Moscow")))
          : Optional.empty();
    }
    public Optional<Path> logo(String id) { return Optional.empty(); }
    public boolean loaded() { return true; }
    public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
  };

  static Vertx vertx;
  static WebClient client;
  static AccessTokens tokens;
  static final TenantTransactions tx = TestDatabase.transactions();
  static final UserStore users = new UserStore(tx);

  /** Organisations A, B, C; Anna (A and B after the admin's PUT), Boris (B), Carl (C), Alice (A); staff. */
  record Desk(String id, UUID a, UUID b, UUID c, UserAccount anna, UserAccount boris, UserAccount carl,
      UserAccount alice, UserAccount agent, UserAccount coordinator, UserAccount admin) {}

  static Desk desk() {
    String id = TestTenants.create(tx);
    TENANTS.add(id);
    OrganisationStore orgs = new OrganisationStore(tx);
    UUID a = orgs.create(id, new OrganisationDetails("ООО «Альфа»", List.of(), null, null, null, null)).await().id();
    UUID b = orgs.create(id, new OrganisationDetails("АО «Бета»", List.of(), null, null, null, null)).await().id();
    UUID c = orgs.create(id, new OrganisationDetails("ЗАО «Гамма»", List.of(), null, null, null, null)).await().id();
    return new Desk(id, a, b, c, user(id, "Анна", Role.CUSTOMER, a), user(id, "Борис", Role.CUSTOMER, b),
        user(id, "Карл", Role.CUSTOMER, c), user(id, "Алиса", Role.CUSTOMER, a), user(id, "Агент", Role.AGENT, null),
        user(id, "Координатор", Role.COORDINATOR, null), user(id, "Админ", Role.TENANT_ADMIN, null));
  }

  static UserAccount user(String tenant, String name, Role role, UUID org) {
    return users.create(tenant, new UserStore.NewUser(role.code() + "-" + UUID.randomUUID() + "@example.ru", name, "ru",
        null, role, org)).await();
  }

  /** The account as it is in the database now (with its memberships), as a sign-in would read it. */
  static UserAccount fresh(Desk d, UserAccount u) {
    return users.findById(d.id(), u.id()).await().orElseThrow();
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new AccessTokens(vertx, KEYS);
    ApiOptions options = new ApiOptions("127.0.0.1", 0, 65536, null, KEYS, ApiOptions.DEFAULT_REFRESH_TTL,
        100_000, 100_000);
    client = TestApi.serve(vertx, options, SOURCE);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static HttpResponse<Buffer> send(HttpMethod method, String tenant, String path, UserAccount as, JsonObject body) {
    HttpRequest<Buffer> r = client.request(method, "/api/v1/tenants/" + tenant + path).putHeader("Accept-Language", "ru");
    if (as != null) {
      r.putHeader("Authorization", "Bearer " + tokens.issue(as).token());
    }
    return (body == null ? r.send() : r.sendJsonObject(body)).await();
  }

  static String code(HttpResponse<Buffer> r) {
    return r.statusCode() + (r.statusCode() >= 400 ? " " + r.bodyAsJsonObject().getString("code") : "");
  }

  static JsonObject ok(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    return r.bodyAsJsonObject();
  }

  /** The admin puts Anna into A and B (A stays primary). */
  static Desk annaInAandB() {
    Desk d = desk();
    ok(send(HttpMethod.PUT, d.id(), "/users/" + d.anna().id() + "/organisations", d.admin(),
        new JsonObject().put("organisationIds", new JsonArray().add(d.a().toString()).add(d.b().toString()))), 200);
    return d;
  }

  static String file(Desk d, UserAccount as, UUID org, String subject) {
    JsonObject body = new JsonObject().put("subject", subject).put("description", "Подробности");
    if (org != null) {
      body.put("organisationId", org.toString());
    }
    return ok(send(HttpMethod.POST, d.id(), "/requests", as, body), 201).getString("number");
  }

  static List<String> numbers(JsonObject page) {
    return page.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("number")).toList();
  }

  @Test
  @DisplayName("memberships: the tenant admin sets them (others get 403), GET /me lists them with names, and a password sign-in puts them in the token")
  void membershipsAreManagedAndReachTheToken() throws Exception {
    Desk d = desk();
    String path = "/users/" + d.anna().id() + "/organisations";
    JsonObject both = new JsonObject().put("organisationIds", new JsonArray().add(d.a().toString()).add(d.b().toString()));
    assertThat(code(send(HttpMethod.PUT, d.id(), path, d.anna(), both))).isEqualTo("403 auth.forbidden");
    assertThat(code(send(HttpMethod.PUT, d.id(), path, d.coordinator(), both))).isEqualTo("403 auth.forbidden");
    JsonObject set = ok(send(HttpMethod.PUT, d.id(), path, d.admin(), both), 200);
    assertThat(set.getJsonArray("items")).containsExactly(
        new JsonObject().put("id", d.a().toString()).put("name", "ООО «Альфа»").put("primary", true),
        new JsonObject().put("id", d.b().toString()).put("name", "АО «Бета»").put("primary", false));
    assertThat(code(send(HttpMethod.PUT, d.id(), path, d.admin(), new JsonObject().put("organisationIds", new JsonArray()))))
        .isEqualTo("400 user.organisation-required");
    assertThat(code(send(HttpMethod.PUT, d.id(), path, d.admin(), both.copy().put("primaryOrganisationId",
        d.c().toString())))).isEqualTo("400 user.primary-not-member");
    Desk other = desk();
    assertThat(code(send(HttpMethod.PUT, d.id(), path, d.admin(), new JsonObject().put("organisationIds",
        new JsonArray().add(other.a().toString()))))).isEqualTo("400 user.organisation-unknown");
    assertThat(code(send(HttpMethod.PUT, other.id(), path, other.admin(), both))).as("another tenant's admin")
        .isEqualTo("404 user.not-found");
    assertThat(code(send(HttpMethod.GET, d.id(), "/users/" + d.boris().id() + "/organisations", d.anna(), null)))
        .isEqualTo("404 user.not-found");
    assertThat(ok(send(HttpMethod.GET, d.id(), path, d.agent(), null), 200).getJsonArray("items")).hasSize(2);

    JsonObject me = ok(send(HttpMethod.GET, d.id(), "/me", fresh(d, d.anna()), null), 200);
    assertThat(me.getString("organisationId")).isEqualTo(d.a().toString());
    assertThat(me.getJsonArray("organisations")).extracting(o -> ((JsonObject) o).getString("name"))
        .containsExactly("ООО «Альфа»", "АО «Бета»");

    // a real sign-in reads the memberships into the token's orgs claim
    users.setPasswordHash(d.id(), d.anna().id(), new PasswordHasher().hash("anna-password-1")).await();
    JsonObject signedIn = ok(client.post("/api/v1/tenants/" + d.id() + "/auth/login").sendJsonObject(new JsonObject()
        .put("email", d.anna().email()).put("password", "anna-password-1")).await(), 200);
    String payload = signedIn.getString("accessToken").split("\\.")[1];
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    assertThat(claims.getString("org")).isEqualTo(d.a().toString());
    assertThat(claims.getJsonArray("orgs")).containsExactly(d.a().toString(), d.b().toString());
    assertThat(tokens.verify(signedIn.getString("accessToken")).await().organisationIds())
        .containsExactly(d.a(), d.b());
  }

  @Test
  @DisplayName("a customer of A and B sees both organisations' requests, organisations and people, and none of C's")
  void customerOfTwoOrganisationsSeesBoth() {
    Desk d = annaInAandB();
    UserAccount anna = fresh(d, d.anna());
    String inA = file(d, d.alice(), null, "A");
    String inB = file(d, d.boris(), null, "B");
    String inC = file(d, d.carl(), null, "C");
    assertThat(numbers(ok(send(HttpMethod.GET, d.id(), "/requests", anna, null), 200)))
        .containsExactlyInAnyOrder(inA, inB);
    assertThat(code(send(HttpMethod.GET, d.id(), "/requests/" + inB, anna, null))).isEqualTo("200");
    assertThat(code(send(HttpMethod.GET, d.id(), "/requests/" + inC, anna, null))).isEqualTo("404 ticket.not-found");
    assertThat(ok(send(HttpMethod.GET, d.id(), "/organisations", anna, null), 200).getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getString("id")).containsExactlyInAnyOrder(d.a().toString(), d.b().toString());
    assertThat(code(send(HttpMethod.GET, d.id(), "/organisations/" + d.b(), anna, null))).isEqualTo("200");
    assertThat(code(send(HttpMethod.GET, d.id(), "/organisations/" + d.c(), anna, null)))
        .isEqualTo("404 organisation.not-found");
    assertThat(ok(send(HttpMethod.GET, d.id(), "/users", anna, null), 200).getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getString("displayName"))
        .containsExactlyInAnyOrder("Анна", "Алиса", "Борис");
    assertThat(code(send(HttpMethod.GET, d.id(), "/users/" + d.boris().id(), anna, null))).isEqualTo("200");
    assertThat(code(send(HttpMethod.GET, d.id(), "/users/" + d.carl().id(), anna, null))).isEqualTo("404 user.not-found");
    // the old token (A only) does not widen; the refreshed one sees both
    assertThat(numbers(ok(send(HttpMethod.GET, d.id(), "/requests", d.anna(), null), 200))).containsExactly(inA);
  }

  @Test
  @DisplayName("filing for the second organisation stores it; a foreign organisation is 403 with a Russian message and writes nothing, also with a stale token")
  void filingForTheSecondOrganisation() throws Exception {
    Desk d = annaInAandB();
    UserAccount anna = fresh(d, d.anna());
    String number = file(d, anna, d.b(), "Для Беты");
    JsonObject ticket = ok(send(HttpMethod.GET, d.id(), "/requests/" + number, d.agent(), null), 200);
    assertThat(ticket.getString("organisationId")).isEqualTo(d.b().toString());
    assertThat(TestApi.row("SELECT organisation_id FROM ticket WHERE tenant_id || '/' || number = ?",
        d.id() + "/" + number).get(0)).isEqualTo(d.b());
    assertThat(ok(send(HttpMethod.GET, d.id(), "/requests/" + file(d, anna, null, "По умолчанию"), anna, null), 200)
        .getString("organisationId")).as("default: the primary").isEqualTo(d.a().toString());

    long before = TestApi.rows("ticket", d.id());
    HttpResponse<Buffer> refused = send(HttpMethod.POST, d.id(), "/requests", anna, new JsonObject()
        .put("subject", "Чужая").put("description", "x").put("organisationId", d.c().toString()));
    assertThat(code(refused)).isEqualTo("403 ticket.organisation-forbidden");
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("не состоите в организации");
    // Anna leaves B, but her token still names it: the store checks the membership itself
    users.setOrganisations(d.id(), d.anna().id(), List.of(d.a()), null, Clock.systemUTC()).await();
    assertThat(code(send(HttpMethod.POST, d.id(), "/requests", anna, new JsonObject()
        .put("subject", "Устаревший токен").put("description", "x").put("organisationId", d.b().toString()))))
        .isEqualTo("403 ticket.organisation-forbidden");
    assertThat(TestApi.rows("ticket", d.id())).isEqualTo(before);
    assertThat(TestApi.rows("ticket_event", d.id())).isEqualTo(before);
  }

  @Test
  @DisplayName("watchers over HTTP: a colleague is added (201, then 200), others are refused, the request and its history show them, the watcher's list has it")
  void watchersOverHttp() {
    Desk d = annaInAandB();
    Desk other = desk();
    UserAccount anna = fresh(d, d.anna());
    String n = file(d, anna, d.b(), "Общая заявка");
    String watchers = "/requests/" + n + "/watchers";

    JsonObject candidates = ok(send(HttpMethod.GET, d.id(), "/requests/" + n + "/watcher-candidates", anna, null), 200);
    assertThat(candidates.getJsonArray("items")).extracting(o -> ((JsonObject) o).getString("displayName"))
        .containsExactly("Анна", "Борис");
    JsonObject boris = new JsonObject().put("userId", d.boris().id().toString());
    assertThat(ok(send(HttpMethod.POST, d.id(), watchers, anna, boris), 201).getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getString("displayName")).containsExactly("Борис");
    assertThat(code(send(HttpMethod.POST, d.id(), watchers, anna, boris))).isEqualTo("200");
    for (UserAccount stranger : List.of(d.alice(), d.carl(), d.agent(), other.boris())) {
      assertThat(code(send(HttpMethod.POST, d.id(), watchers, anna, new JsonObject().put("userId",
          stranger.id().toString())))).as(stranger.displayName()).isEqualTo("400 ticket.watcher-invalid");
    }
    assertThat(code(send(HttpMethod.POST, d.id(), watchers, d.carl(), boris))).isEqualTo("404 ticket.not-found");
    assertThat(code(send(HttpMethod.POST, other.id(), "/requests/" + n + "/watchers", other.admin(), boris)))
        .isEqualTo("404 ticket.not-found");

    JsonObject request = ok(send(HttpMethod.GET, d.id(), "/requests/" + n, d.boris(), null), 200);
    assertThat(request.getJsonArray("watchers")).singleElement().satisfies(w -> {
      assertThat(((JsonObject) w).getString("id")).isEqualTo(d.boris().id().toString());
      assertThat(((JsonObject) w).getString("displayName")).isEqualTo("Борис");
    });
    assertThat(numbers(ok(send(HttpMethod.GET, d.id(), "/requests?watching=true", d.boris(), null), 200)))
        .containsExactly(n);
    assertThat(numbers(ok(send(HttpMethod.GET, d.id(), "/requests?watching=true", anna, null), 200))).isEmpty();
    assertThat(code(send(HttpMethod.GET, d.id(), "/requests?watching=maybe", anna, null)))
        .isEqualTo("400 ticket.filter-invalid");

    assertThat(send(HttpMethod.DELETE, d.id(), watchers + "/" + d.boris().id(), d.agent(), null).statusCode())
        .isEqualTo(204);
    assertThat(send(HttpMethod.DELETE, d.id(), watchers + "/" + d.boris().id(), d.agent(), null).statusCode())
        .isEqualTo(204);
    assertThat(ok(send(HttpMethod.GET, d.id(), watchers, anna, null), 200).getJsonArray("items")).isEmpty();
    JsonArray history = ok(send(HttpMethod.GET, d.id(), "/requests/" + n + "/events", d.boris(), null), 200)
        .getJsonArray("items");
    assertThat(history).extracting(e -> ((JsonObject) e).getString("type"))
        .containsExactly("created", "watcher-added", "watcher-removed");
    assertThat(history.getJsonObject(1).getJsonObject("after").getString("displayName")).isEqualTo("Борис");
    assertThat(history.getJsonObject(2).getString("actorId")).isEqualTo(d.agent().id().toString());
  }
}
