package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.UserAccount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** API keys made over HTTP, then used in place of a bearer token. */
class ApiKeyAccessTest {

  static TestApi api;
  static String tenant;
  static String otherTenant;
  static UserAccount admin;

  @BeforeAll
  static void start() {
    api = new TestApi();
    tenant = api.tenant();
    otherTenant = api.tenant();
    admin = api.user(tenant, Role.TENANT_ADMIN, null);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static JsonObject createKey(String name, String role) {
    JsonObject body = new JsonObject().put("name", name);
    if (role != null) {
      body.put("role", role);
    }
    HttpResponse<Buffer> created = api.request(HttpMethod.POST, tenant, "/api-keys", api.bearer(admin)).sendJsonObject(body).await();
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.getHeader("Cache-Control")).isEqualTo("no-store");
    return created.bodyAsJsonObject();
  }

  @Test
  @DisplayName("a key acts as an agent with either header, only in its own tenant, and never again once revoked")
  void keyAuthenticatesUntilRevoked() throws Exception {
    JsonObject key = createKey("CRM", null);
    String secret = key.getString("secret");
    assertThat(key.getString("role")).isEqualTo("agent");

    HttpResponse<Buffer> me = api.request(HttpMethod.GET, tenant, "/me", "ApiKey " + secret).send().await();
    HttpResponse<Buffer> viaHeader = api.request(HttpMethod.GET, tenant, "/organisations", null)
        .putHeader("X-Api-Key", secret).send().await();
    HttpResponse<Buffer> elsewhere = api.request(HttpMethod.GET, otherTenant, "/organisations", "ApiKey " + secret).send().await();
    HttpResponse<Buffer> adminOnly = api.request(HttpMethod.POST, tenant, "/users", "ApiKey " + secret)
        .sendJsonObject(new JsonObject()).await();

    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject()).isEqualTo(new JsonObject().put("kind", "api-key").put("id", key.getString("id"))
        .put("name", "CRM").put("role", "agent"));
    assertThat(viaHeader.statusCode()).isEqualTo(200);
    assertThat(elsewhere.statusCode()).isEqualTo(401);
    assertThat(elsewhere.bodyAsJsonObject().getString("code")).isEqualTo("auth.api-key-invalid");
    assertThat(adminOnly.statusCode()).isEqualTo(403);

    HttpResponse<Buffer> revoked = api.request(HttpMethod.POST, tenant, "/api-keys/" + key.getString("id") + "/revoke",
        api.bearer(admin)).send().await();
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(revoked.bodyAsJsonObject().getString("revokedAt")).isNotNull();
    HttpResponse<Buffer> after = api.request(HttpMethod.GET, tenant, "/me", "ApiKey " + secret).send().await();
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.bodyAsJsonObject().getString("code")).isEqualTo("auth.api-key-invalid");
  }

  @Test
  @DisplayName("the key list shows prefixes and states but never a secret, and an admin key may manage people")
  void listShowsNoSecrets() throws Exception {
    JsonObject key = createKey("Provisioning", "tenant_admin");
    String list = api.request(HttpMethod.GET, tenant, "/api-keys", api.bearer(admin)).send().await().bodyAsString();
    assertThat(list).contains(key.getString("keyPrefix")).doesNotContain(key.getString("secret"));

    long before = TestApi.rows("organisation", tenant);
    HttpResponse<Buffer> created = api.request(HttpMethod.POST, tenant, "/organisations", "ApiKey " + key.getString("secret"))
        .sendJsonObject(new JsonObject().put("name", "Из интеграции")).await();
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(TestApi.rows("organisation", tenant)).isEqualTo(before + 1);

    HttpResponse<Buffer> customerKey = api.request(HttpMethod.POST, tenant, "/api-keys", api.bearer(admin))
        .sendJsonObject(new JsonObject().put("name", "Портал").put("role", "customer")).await();
    assertThat(customerKey.bodyAsJsonObject().getString("code")).isEqualTo("api-key.role-invalid");
    HttpResponse<Buffer> unknown = api.request(HttpMethod.GET, tenant, "/me", "ApiKey otk_not-a-key").send().await();
    assertThat(unknown.statusCode()).isEqualTo(401);
  }
}
