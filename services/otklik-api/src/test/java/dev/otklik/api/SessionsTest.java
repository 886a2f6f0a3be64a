package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.core.auth.Role;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore.NewUser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sessions over real HTTP and PostgreSQL: listing, revoking, password change, and what each ends. */
class SessionsTest {

  static final TestApi api = new TestApi();
  static final String PASSWORD = "пароль-для-сеансов-2026";
  static final String HASH = new PasswordHasher().hash(PASSWORD);

  @AfterAll
  static void stop() {
    api.close();
  }

  static UserAccount person(String tenant, Role role, UUID organisation) {
    String email = role.code() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.ru";
    return api.users.create(tenant, new NewUser(email, "Сеансы " + role.code(), "ru", HASH, role, organisation)).await();
  }

  static JsonObject login(String tenant, UserAccount user, String password, String device) {
    HttpResponse<Buffer> r = api.request(HttpMethod.POST, tenant, "/auth/login", null).putHeader("User-Agent", device)
        .sendJsonObject(new JsonObject().put("email", user.email()).put("password", password)).await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> call(HttpMethod method, String tenant, String path, JsonObject tokens, JsonObject body) {
    var request = api.request(method, tenant, path, "Bearer " + tokens.getString("accessToken"));
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  static int refresh(String tenant, JsonObject tokens) {
    return api.request(HttpMethod.POST, tenant, "/auth/refresh", null)
        .sendJsonObject(new JsonObject().put("refreshToken", tokens.getString("refreshToken"))).await().statusCode();
  }

  @Test
  @DisplayName("each sign-in is a session listed with its device; revoking one ends its access token, its refresh token and nothing else")
  void revokingASessionEndsItsTokensAtOnce() throws Exception {
    String tenant = api.tenant();
    UserAccount agent = person(tenant, Role.AGENT, null);
    JsonObject laptop = login(tenant, agent, PASSWORD, "Firefox on the laptop");
    JsonObject phone = login(tenant, agent, PASSWORD, "Chrome on the phone");

    HttpResponse<Buffer> listed = call(HttpMethod.GET, tenant, "/me/sessions", laptop, null);
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonArray items = listed.bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(2);
    JsonObject current = items.stream().map(JsonObject.class::cast).filter(s -> s.getBoolean("current")).findFirst().orElseThrow();
    assertThat(current.getString("id")).isEqualTo(laptop.getString("sessionId"));
    assertThat(current.getString("userAgent")).isEqualTo("Firefox on the laptop");
    assertThat(current.getString("method")).isEqualTo("password");
    assertThat(current.getJsonArray("amr")).containsExactly("pwd");

    assertThat(call(HttpMethod.DELETE, tenant, "/me/sessions/" + phone.getString("sessionId"), laptop, null).statusCode())
        .isEqualTo(204);
    HttpResponse<Buffer> refused = call(HttpMethod.GET, tenant, "/me", phone, null);
    assertThat(refused.statusCode()).as("the phone's access token is refused before it expires").isEqualTo(401);
    assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("auth.session-revoked");
    assertThat(refresh(tenant, phone)).as("and it cannot refresh").isEqualTo(401);
    assertThat(call(HttpMethod.GET, tenant, "/me", laptop, null).statusCode()).as("the laptop goes on").isEqualTo(200);
    assertThat(TestApi.row("SELECT revoked_reason FROM user_session WHERE id = ?",
        UUID.fromString(phone.getString("sessionId")))).containsExactly("revoked");
    assertThat(call(HttpMethod.GET, tenant, "/me/sessions", laptop, null).bodyAsJsonObject().getJsonArray("items"))
        .hasSize(1);
  }

  @Test
  @DisplayName("a refresh keeps the session and its sign-in method; signing out ends it")
  void refreshKeepsTheSessionAndSignOutEndsIt() {
    String tenant = api.tenant();
    UserAccount customer = person(tenant, Role.CUSTOMER, api.organisation(tenant, "Завод"));
    JsonObject first = login(tenant, customer, PASSWORD, "curl");
    HttpResponse<Buffer> refreshed = api.request(HttpMethod.POST, tenant, "/auth/refresh", null)
        .sendJsonObject(new JsonObject().put("refreshToken", first.getString("refreshToken"))).await();
    assertThat(refreshed.statusCode()).isEqualTo(200);
    JsonObject next = refreshed.bodyAsJsonObject();
    assertThat(next.getString("sessionId")).isEqualTo(first.getString("sessionId"));
    JsonObject claims = new JsonObject(new String(java.util.Base64.getUrlDecoder()
        .decode(next.getString("accessToken").split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(claims.getString("sid")).isEqualTo(first.getString("sessionId"));
    assertThat(claims.getJsonArray("amr")).containsExactly("pwd");

    assertThat(call(HttpMethod.POST, tenant, "/me/sign-out", next, null).statusCode()).isEqualTo(204);
    assertThat(call(HttpMethod.GET, tenant, "/me", next, null).statusCode()).isEqualTo(401);
    assertThat(refresh(tenant, next)).isEqualTo(401);
  }

  @Test
  @DisplayName("a password change needs the current password, ends every other session and keeps the one that made it")
  void passwordChangeRevokesTheOtherSessions() {
    String tenant = api.tenant();
    UserAccount agent = person(tenant, Role.AGENT, null);
    JsonObject here = login(tenant, agent, PASSWORD, "here");
    JsonObject elsewhere = login(tenant, agent, PASSWORD, "elsewhere");

    HttpResponse<Buffer> wrong = call(HttpMethod.POST, tenant, "/me/password", here,
        new JsonObject().put("currentPassword", "не тот пароль").put("newPassword", "новый пароль 2027"));
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.bodyAsJsonObject().getString("code")).isEqualTo("auth.password-wrong");
    assertThat(call(HttpMethod.GET, tenant, "/me", elsewhere, null).statusCode()).as("nothing ended").isEqualTo(200);

    HttpResponse<Buffer> changed = call(HttpMethod.POST, tenant, "/me/password", here,
        new JsonObject().put("currentPassword", PASSWORD).put("newPassword", "новый пароль 2027"));
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.bodyAsJsonObject().getInteger("revokedSessions")).isEqualTo(1);
    assertThat(call(HttpMethod.GET, tenant, "/me", elsewhere, null).statusCode()).isEqualTo(401);
    assertThat(refresh(tenant, elsewhere)).isEqualTo(401);
    assertThat(call(HttpMethod.GET, tenant, "/me", here, null).statusCode()).isEqualTo(200);
    assertThat(refresh(tenant, here)).isEqualTo(200);
    assertThat(api.request(HttpMethod.POST, tenant, "/auth/login", null).sendJsonObject(new JsonObject()
        .put("email", agent.email()).put("password", PASSWORD)).await().statusCode()).isEqualTo(401);
    login(tenant, agent, "новый пароль 2027", "later");
  }

  @Test
  @DisplayName("a tenant admin lists and ends a person's sessions; nobody else can, and an id of someone else's session ends nothing")
  void adminsRevokeOthersSessionsAndNobodyElse() {
    String tenant = api.tenant();
    UserAccount admin = person(tenant, Role.TENANT_ADMIN, null);
    UserAccount agent = person(tenant, Role.AGENT, null);
    UserAccount colleague = person(tenant, Role.AGENT, null);
    JsonObject adminTokens = login(tenant, admin, PASSWORD, "admin");
    JsonObject agentTokens = login(tenant, agent, PASSWORD, "agent");
    JsonObject colleagueTokens = login(tenant, colleague, PASSWORD, "colleague");

    assertThat(call(HttpMethod.DELETE, tenant, "/me/sessions/" + agentTokens.getString("sessionId"), colleagueTokens, null)
        .statusCode()).as("not the colleague's session").isEqualTo(404);
    assertThat(call(HttpMethod.GET, tenant, "/users/" + agent.id() + "/sessions", colleagueTokens, null).statusCode())
        .isEqualTo(403);
    assertThat(call(HttpMethod.GET, tenant, "/me", agentTokens, null).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> listed = call(HttpMethod.GET, tenant, "/users/" + agent.id() + "/sessions", adminTokens, null);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    HttpResponse<Buffer> revoked = call(HttpMethod.POST, tenant, "/users/" + agent.id() + "/sessions/revoke", adminTokens, null);
    assertThat(revoked.bodyAsJsonObject().getInteger("revoked")).isEqualTo(1);
    assertThat(call(HttpMethod.GET, tenant, "/me", agentTokens, null).statusCode()).isEqualTo(401);
    assertThat(call(HttpMethod.GET, tenant, "/me", colleagueTokens, null).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("disabling an account ends its sessions at once: the access token it holds is refused before it expires")
  void disablingAnAccountEndsItsSessions() {
    String tenant = api.tenant();
    UserAccount admin = person(tenant, Role.TENANT_ADMIN, null);
    UserAccount agent = person(tenant, Role.AGENT, null);
    JsonObject adminTokens = login(tenant, admin, PASSWORD, "admin");
    JsonObject agentTokens = login(tenant, agent, PASSWORD, "agent");

    assertThat(call(HttpMethod.POST, tenant, "/users/" + agent.id() + "/disable", adminTokens, null).statusCode())
        .isEqualTo(200);
    HttpResponse<Buffer> refused = call(HttpMethod.GET, tenant, "/requests", agentTokens, null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("auth.session-revoked");
    assertThat(refresh(tenant, agentTokens)).isEqualTo(401);
  }
}
