package dev.otklik.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.api.ApiOptions;
import dev.otklik.api.HttpServerVerticle;
import dev.otklik.api.TenantSource;
import dev.otklik.core.auth.Role;
import dev.otklik.store.UserAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The guard in front of tenant-scoped routes, over real HTTP. */
class AuthGuardTest {

  static final JwtKeys KEYS = JwtKeys.hs256("0123456789abcdef0123456789abcdef-guard", "otklik", "otklik-api",
      Duration.ofMinutes(5));

  static Vertx vertx;
  static WebClient http;
  static AccessTokens tokens;

  /** Two enabled tenants; a passing call to a path with no route reaches the 404 fallback. */
  static final TenantSource TWO_TENANTS = new TenantSource() {
    public List<JsonObject> configs() { return List.of(AuthGuardTest.tenant("alpha"), AuthGuardTest.tenant("beta")); }
    public Optional<JsonObject> config(String id) { return configs().stream().filter(c -> c.getString("id").equals(id)).findFirst(); }
    public Optional<Path> logo(String id) { return Optional.empty(); }
    public boolean loaded() { return true; }
    public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
  };

  static JsonObject tenant(String id) {
    return new JsonObject().put("id", id).put("enabled", true);
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new AccessTokens(vertx, KEYS);
    var options = new ApiOptions("127.0.0.1", 0, 65536, null, KEYS, ApiOptions.DEFAULT_REFRESH_TTL);
    HttpServerVerticle verticle = new HttpServerVerticle(options, TWO_TENANTS, dev.otklik.store.TestDatabase.pool());
    vertx.deployVerticle(verticle).await();
    http = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(verticle.actualPort()));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static String tokenFor(String tenant) {
    UserAccount user = new UserAccount(UUID.randomUUID(), tenant, "agent@" + tenant + ".test", "Agent", "ru", "x",
        Role.AGENT, null, true, java.time.OffsetDateTime.now(), 1);
    return tokens.issue(user).token();
  }

  static JsonObject call(String path, String authorization) {
    var request = http.get(path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    var response = request.send().await();
    return new JsonObject().put("status", response.statusCode())
        .put("code", response.bodyAsJsonObject().getString("code"));
  }

  @Test
  @DisplayName("a tenant route without a token is 401, with a token of another tenant 403, with its own token it passes the guard")
  void guardChecksTokenAndTenant() {
    assertThat(call("/api/v1/tenants/alpha/no-such-resource", null))
        .isEqualTo(new JsonObject().put("status", 401).put("code", "auth.required"));
    assertThat(call("/api/v1/tenants/alpha/no-such-resource", "Bearer " + tokenFor("beta")))
        .isEqualTo(new JsonObject().put("status", 403).put("code", "auth.wrong-tenant"));
    assertThat(call("/api/v1/tenants/alpha/no-such-resource", "Bearer not-a-jwt"))
        .isEqualTo(new JsonObject().put("status", 401).put("code", "auth.token-invalid"));
    assertThat(call("/api/v1/tenants/alpha/no-such-resource", "Bearer " + tokenFor("alpha")))
        .isEqualTo(new JsonObject().put("status", 404).put("code", "route.not-found"));
  }
}
