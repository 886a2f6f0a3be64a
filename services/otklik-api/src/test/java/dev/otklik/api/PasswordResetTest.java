package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.RefreshTokenStore;
import dev.otklik.store.UserAccount;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Password reset over real HTTP: the mail row with the link, the one-time link, and what it revokes. */
class PasswordResetTest {

  static final TestApi api = new TestApi();
  static final Pattern LINK = Pattern.compile("http://localhost:\\d+/t/([^/]+)/#/reset/([A-Za-z0-9_-]+)");

  @AfterAll
  static void stop() {
    api.close();
  }

  static List<JsonObject> resetMails(String tenant) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    try (Connection c = dev.otklik.store.TestDatabase.superuserConnection();
        PreparedStatement q = c.prepareStatement("SELECT payload::text FROM mail_outbox WHERE tenant_id = ?"
            + " AND kind = 'direct' AND payload->>'template' = 'password-reset' ORDER BY created_at")) {
      q.setString(1, tenant);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(new JsonObject(rs.getString(1)));
        }
      }
    }
    return out;
  }

  int post(String tenant, String path, JsonObject body) {
    return api.request(HttpMethod.POST, tenant, path, null).sendJsonObject(body).await().statusCode();
  }

  @Test
  @DisplayName("a reset mails a one-hour link to the person; the link sets the new password once, ends their sessions, and the new password signs in")
  void resetLinkSetsTheNewPasswordOnce() throws Exception {
    String tenant = api.tenant();
    UserAccount olga = api.user(tenant, Role.CUSTOMER, api.organisation(tenant, "Клиника"));
    var session = new RefreshTokenStore(api.tx, Clock.systemUTC(), ApiOptions.DEFAULT_REFRESH_TTL)
        .issue(tenant, olga.id()).await();

    assertThat(post(tenant, "/auth/password-reset", new JsonObject().put("email", olga.email().toUpperCase())))
        .isEqualTo(202);
    List<JsonObject> mails = resetMails(tenant);
    assertThat(mails).hasSize(1);
    assertThat(mails.get(0).getJsonArray("to").getString(0)).isEqualTo(olga.email());
    Matcher link = LINK.matcher(mails.get(0).getJsonObject("values").getString("link"));
    assertThat(link.matches()).isTrue();
    assertThat(link.group(1)).isEqualTo(tenant);
    String token = link.group(2);

    assertThat(post(tenant, "/auth/password-reset/confirm", new JsonObject().put("token", token)
        .put("password", "short"))).as("too short: the link stays live").isEqualTo(400);
    assertThat(post(tenant, "/auth/password-reset/confirm", new JsonObject().put("token", token)
        .put("password", "новый пароль 2026"))).isEqualTo(204);
    assertThat(post(tenant, "/auth/password-reset/confirm", new JsonObject().put("token", token)
        .put("password", "ещё один пароль"))).as("spent").isEqualTo(400);

    assertThat(post(tenant, "/auth/login", new JsonObject().put("email", olga.email())
        .put("password", "новый пароль 2026"))).isEqualTo(200);
    assertThat(post(tenant, "/auth/refresh", new JsonObject().put("refreshToken", session.token())))
        .as("the session from before the reset is over").isEqualTo(401);
  }

  @Test
  @DisplayName("an unknown address gets the same 202 and no mail; a link of one tenant does nothing in another; the fourth request in an hour sends nothing")
  void resetTellsNothingAndStaysInItsTenant() throws Exception {
    String tenant = api.tenant();
    String other = api.tenant();
    UserAccount ivan = api.user(tenant, Role.AGENT, null);

    assertThat(post(tenant, "/auth/password-reset", new JsonObject().put("email", "nobody@example.ru")))
        .isEqualTo(202);
    assertThat(resetMails(tenant)).isEmpty();

    for (int i = 0; i < 4; i++) {
      assertThat(post(tenant, "/auth/password-reset", new JsonObject().put("email", ivan.email()))).isEqualTo(202);
    }
    List<JsonObject> mails = resetMails(tenant);
    assertThat(mails).hasSize(3);
    Matcher link = LINK.matcher(mails.get(0).getJsonObject("values").getString("link"));
    assertThat(link.matches()).isTrue();
    assertThat(post(other, "/auth/password-reset/confirm", new JsonObject().put("token", link.group(2))
        .put("password", "чужой пароль 2026"))).isEqualTo(400);
    assertThat(post(tenant, "/auth/password-reset/confirm", new JsonObject().put("token", "not-a-token")
        .put("password", "чужой пароль 2026"))).isEqualTo(400);
  }
}
