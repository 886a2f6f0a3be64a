package dev.otklik.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.api.ApiOptions;
import dev.otklik.api.ApiRouter;
import dev.otklik.api.TenantSource;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.core.auth.Role;
import dev.otklik.store.OrganisationStore;
import dev.otklik.store.PgPools;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestTenants;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Login and refresh over real HTTP against the real embedded PostgreSQL. */
class AuthHandlerTest {

  private static Vertx vertx;
  private static Pool pool;
  private static HttpServer server;
  private static WebClient client;
  private static String tenant;
  private static UserAccount anna;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, TestDatabase.endpoint(), 4);
    TenantTransactions tx = new TenantTransactions(pool);
    tenant = TestTenants.create(tx);
    var org = new OrganisationStore(tx).create(tenant,
        new OrganisationStore.OrganisationDetails("Клиент", List.of("client.ru"), null, null, null, null)).await();
    anna = new UserStore(tx).create(tenant, new UserStore.NewUser("anna@client.ru", "Анна", "ru",
        new PasswordHasher().hash("верный пароль"), Role.CUSTOMER, org.id())).await();

    TenantSource tenants = new TenantSource() {
      public List<JsonObject> configs() { return List.of(config(tenant).orElseThrow()); }
      public Optional<JsonObject> config(String id) {
        return id.equals(tenant) ? Optional.of(new JsonObject().put("id", tenant).put("enabled", true)) : Optional.empty();
      }
      public Optional<Path> logo(String id) { return Optional.empty(); }
      public boolean loaded() { return true; }
      public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
    };
    ApiOptions options = new ApiOptions("127.0.0.1", 0, 65536, null,
        JwtKeys.hs256("an-http-test-secret-of-32-bytes-or-more", "https://otklik.test", "otklik-api", Duration.ofMinutes(15)),
        Duration.ofDays(14));
    server = vertx.createHttpServer().requestHandler(ApiRouter.create(vertx, options, tenants, pool)).listen(0, "127.0.0.1").await();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    pool.close().await();
    vertx.close().await();
  }

  private static HttpResponse<Buffer> post(String tenantId, String action, JsonObject body) {
    return client.post(server.actualPort(), "127.0.0.1", "/api/v1/tenants/" + tenantId + "/auth/" + action)
        .putHeader("Accept-Language", "ru")
        .sendJsonObject(body).await();
  }

  @Test
  @DisplayName("the right password yields an access token for this user and tenant, and a refresh token that renews it once")
  void loginThenRefresh() {
    HttpResponse<Buffer> login = post(tenant, "login", new JsonObject().put("email", "ANNA@client.ru").put("password", "верный пароль"));
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject tokens = login.bodyAsJsonObject();
    assertThat(tokens.getInteger("expiresIn")).isEqualTo(900);

    AccessTokens checker = new AccessTokens(vertx,
        JwtKeys.hs256("an-http-test-secret-of-32-bytes-or-more", "https://otklik.test", "otklik-api", Duration.ofMinutes(15)));
    AccessTokens.AccessClaims claims = checker.verify(tokens.getString("accessToken")).await();
    assertThat(claims.tenantId()).isEqualTo(tenant);
    assertThat(claims.userId()).isEqualTo(anna.id());
    assertThat(claims.role()).isEqualTo(Role.CUSTOMER);
    assertThat(claims.organisationId()).isEqualTo(anna.organisationId());
    assertThat(claims.sessionId()).as("the sign-in's session").hasToString(tokens.getString("sessionId"));
    assertThat(claims.amr()).containsExactly("pwd");

    HttpResponse<Buffer> refreshed = post(tenant, "refresh", new JsonObject().put("refreshToken", tokens.getString("refreshToken")));
    HttpResponse<Buffer> replayed = post(tenant, "refresh", new JsonObject().put("refreshToken", tokens.getString("refreshToken")));
    HttpResponse<Buffer> afterReplay = post(tenant, "refresh",
        new JsonObject().put("refreshToken", refreshed.bodyAsJsonObject().getString("refreshToken")));

    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(replayed.bodyAsJsonObject().getString("code")).isEqualTo("auth.refresh-invalid");
    assertThat(afterReplay.statusCode()).as("reuse revoked the newer token too").isEqualTo(401);
  }

  @Test
  @DisplayName("a wrong password and an unknown e-mail get the same 401 problem, in the caller's language")
  void wrongPasswordAndUnknownEmailLookAlike() {
    HttpResponse<Buffer> wrong = post(tenant, "login", new JsonObject().put("email", "anna@client.ru").put("password", "неверный"));
    HttpResponse<Buffer> unknown = post(tenant, "login", new JsonObject().put("email", "who@client.ru").put("password", "неверный"));

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrong.bodyAsJsonObject().getString("code")).isEqualTo("auth.invalid-credentials");
    assertThat(wrong.bodyAsJsonObject().getString("title")).isEqualTo("Неверный e-mail или пароль");
    assertThat(unknown.bodyAsJsonObject().getString("detail")).isEqualTo(wrong.bodyAsJsonObject().getString("detail"));
  }

  @Test
  @DisplayName("an unknown tenant is a 404 and a body without a password is a 400")
  void unknownTenantAndMissingFields() {
    assertThat(post("no-such-tenant", "login", new JsonObject().put("email", "a@b.ru").put("password", "x")).statusCode())
        .isEqualTo(404);
    assertThat(post(tenant, "login", new JsonObject().put("email", "anna@client.ru")).statusCode()).isEqualTo(400);
  }
}
