package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** REST calls to a whole node in end-to-end tests: each asserts its status and returns the JSON body. */
final class NodeHttp {

  private final WebClient http;
  private final String tenantBase;

  /** @param tenantBase the tenant's API base, e.g. {@code /api/v1/tenants/imc}, for {@link #login} */
  NodeHttp(WebClient http, String tenantBase) {
    this.http = http;
    this.tenantBase = tenantBase;
  }

  JsonObject get(String path, String authorization) {
    HttpResponse<Buffer> r = http.get(path).putHeader("Authorization", authorization).send().await();
    assertThat(r.statusCode()).as(path + " -> " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  JsonObject post(String path, String authorization, JsonObject body, int expectedStatus) {
    HttpResponse<Buffer> r = http.post(path).putHeader("Authorization", authorization).sendJsonObject(body).await();
    assertThat(r.statusCode()).as(path + " -> " + r.bodyAsString()).isEqualTo(expectedStatus);
    return r.bodyAsJsonObject();
  }

  /** Password sign-in at the tenant: the {@code Authorization} value of the access token. */
  String login(String email, String password) {
    HttpResponse<Buffer> r = http.post(tenantBase + "/auth/login")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)).await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return "Bearer " + r.bodyAsJsonObject().getString("accessToken");
  }
}
