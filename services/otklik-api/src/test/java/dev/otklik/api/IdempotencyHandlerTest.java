package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.UserAccount;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on creating POSTs, over real HTTP, counting rows in PostgreSQL. */
class IdempotencyHandlerTest {

  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static HttpResponse<Buffer> post(String tenant, String path, UserAccount as, String key, JsonObject body) {
    var request = api.request(HttpMethod.POST, tenant, path, api.bearer(as));
    if (key != null) {
      request.putHeader(IdempotencyHandler.HEADER, key);
    }
    return request.sendJsonObject(body).await();
  }

  @Test
  @DisplayName("a retry with the same key and body returns the first response and creates nothing new; another body with the key is 422")
  void retryReplaysAndCreatesNothing() throws Exception {
    String tenant = api.tenant();
    UserAccount admin = api.user(tenant, Role.TENANT_ADMIN, null);
    JsonObject body = new JsonObject().put("name", "Омега").put("contractNumber", "Д-1");

    HttpResponse<Buffer> first = post(tenant, "/organisations", admin, "create-omega", body);
    HttpResponse<Buffer> retry = post(tenant, "/organisations", admin, "create-omega", body);
    HttpResponse<Buffer> otherBody = post(tenant, "/organisations", admin, "create-omega", body.copy().put("name", "Омега-2"));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.getHeader(IdempotencyHandler.REPLAYED_HEADER)).isNull();
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.getHeader(IdempotencyHandler.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(retry.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(retry.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    assertThat(retry.getHeader("ETag")).isEqualTo(first.getHeader("ETag"));
    assertThat(otherBody.statusCode()).isEqualTo(422);
    assertThat(otherBody.bodyAsJsonObject().getString("code")).isEqualTo("request.idempotency-key-reused");
    assertThat(TestApi.rows("organisation", tenant)).isEqualTo(1);
    assertThat(TestApi.rows("idempotency_key", tenant)).isEqualTo(1);

    HttpResponse<Buffer> withoutKey = post(tenant, "/organisations", admin, null, body.copy().put("name", "Омега-3"));
    assertThat(withoutKey.statusCode()).isEqualTo(201);
    assertThat(TestApi.rows("organisation", tenant)).isEqualTo(2);
  }

  @Test
  @DisplayName("keys belong to their caller: another admin's request with the same key is a request of its own")
  void keysArePerCaller() throws Exception {
    String tenant = api.tenant();
    UserAccount one = api.user(tenant, Role.TENANT_ADMIN, null);
    UserAccount two = api.user(tenant, Role.TENANT_ADMIN, null);
    JsonObject body = new JsonObject().put("email", "new@x.ru").put("displayName", "Новый").put("role", "agent");

    assertThat(post(tenant, "/users", one, "k", body).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> second = post(tenant, "/users", two, "k", body);
    assertThat(second.statusCode()).as("runs, and meets the e-mail the first created").isEqualTo(409);
    assertThat(second.bodyAsJsonObject().getString("code")).isEqualTo("user.email-taken");
    assertThat(TestApi.rows("app_user", tenant)).isEqualTo(3);
  }

  @Test
  @DisplayName("a first request that fails releases its key, so the corrected retry runs")
  void failureReleasesTheKey() throws Exception {
    String tenant = api.tenant();
    UserAccount admin = api.user(tenant, Role.TENANT_ADMIN, null);

    HttpResponse<Buffer> invalid = post(tenant, "/api-keys", admin, "key-1", new JsonObject().put("name", "Sync").put("role", "customer"));
    HttpResponse<Buffer> corrected = post(tenant, "/api-keys", admin, "key-1", new JsonObject().put("name", "Sync"));

    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(corrected.statusCode()).isEqualTo(201);
    assertThat(TestApi.rows("api_key", tenant)).isEqualTo(1);
  }

  @Test
  @DisplayName("of concurrent identical requests one creates, the others are told it is in progress or get its response; one row results")
  void concurrentTwinsCreateOnce() throws Exception {
    String tenant = api.tenant();
    UserAccount admin = api.user(tenant, Role.TENANT_ADMIN, null);
    JsonObject body = new JsonObject().put("name", "Близнецы");
    List<Future<HttpResponse<Buffer>>> twins = IntStream.range(0, 6)
        .mapToObj(i -> api.request(HttpMethod.POST, tenant, "/organisations", api.bearer(admin))
            .putHeader(IdempotencyHandler.HEADER, "twins").sendJsonObject(body))
        .toList();
    Future.join(twins).await();

    List<HttpResponse<Buffer>> responses = twins.stream().map(Future::result).toList();
    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(201, 409));
    assertThat(responses.stream().filter(r -> r.statusCode() == 201 && r.getHeader(IdempotencyHandler.REPLAYED_HEADER) == null))
        .hasSize(1);
    assertThat(responses.stream().filter(r -> r.statusCode() == 409))
        .allSatisfy(r -> assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("request.in-progress"));
    assertThat(TestApi.rows("organisation", tenant)).isEqualTo(1);
  }
}
