package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.UserAccount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Mass notices over real HTTP against the real embedded PostgreSQL. */
class MassNoticeHandlerTest {

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** A tenant with a tenant admin, a coordinator, an agent and customers at two organisations. */
  private record Desk(String tenant, UserAccount admin, UserAccount coordinator, UserAccount agent,
      UUID alfa, UUID beta, UserAccount anna, UserAccount alexei, UserAccount boris) {}

  private static Desk desk() {
    String tenant = api.tenant();
    UUID alfa = api.organisation(tenant, "Альфа");
    UUID beta = api.organisation(tenant, "Бета");
    return new Desk(tenant,
        api.user(tenant, Role.TENANT_ADMIN, null),
        api.user(tenant, Role.COORDINATOR, null),
        api.user(tenant, Role.AGENT, null),
        alfa, beta,
        api.user(tenant, Role.CUSTOMER, alfa),
        api.user(tenant, Role.CUSTOMER, alfa),
        api.user(tenant, Role.CUSTOMER, beta));
  }

  private static HttpRequest<Buffer> request(HttpMethod method, UserAccount caller, String path) {
    return api.request(method, caller.tenantId(), path, api.bearer(caller)).putHeader("Accept-Language", "ru");
  }

  private static HttpResponse<Buffer> post(UserAccount caller, String path, JsonObject body) {
    return request(HttpMethod.POST, caller, path).sendJsonObject(body).await();
  }

  private static JsonObject get(UserAccount caller, String path) {
    HttpResponse<Buffer> response = request(HttpMethod.GET, caller, path).send().await();
    return new JsonObject().put("status", response.statusCode()).put("body", response.bodyAsJsonObject());
  }

  private static JsonObject securityUpdate() {
    return new JsonObject()
        .put("kind", "security-update")
        .put("title", new JsonObject().put("ru", "Обновление безопасности 7.1").put("en", "Security update 7.1"))
        .put("body", new JsonObject().put("ru", "Установите обновление до пятницы.").put("en", "Install it by Friday."))
        .put("audience", "all-customers");
  }

  private static Set<UUID> recipientsInDatabase(UUID noticeId) throws Exception {
    Set<UUID> recipients = new TreeSet<>();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement q = c.prepareStatement("SELECT user_id FROM mass_notice_recipient WHERE notice_id = ?")) {
      q.setObject(1, noticeId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          recipients.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return recipients;
  }

  @Test
  @DisplayName("a tenant admin's notice to all customers records each customer of the tenant as a recipient, and no one of another tenant")
  void noticeToAllCustomersReachesEveryCustomerOfTheTenantOnly() throws Exception {
    Desk desk = desk();
    Desk other = desk();

    HttpResponse<Buffer> published = post(desk.admin(), "/notices", securityUpdate());

    assertThat(published.statusCode()).isEqualTo(201);
    JsonObject notice = published.bodyAsJsonObject();
    UUID id = UUID.fromString(notice.getString("id"));
    assertThat(published.getHeader("Location")).isEqualTo("/api/v1/tenants/" + desk.tenant() + "/notices/" + id);
    assertThat(notice.getInteger("recipientCount")).isEqualTo(3);
    assertThat(notice.getString("audience")).isEqualTo("all-customers");
    assertThat(notice.getString("publishedBy")).isEqualTo(desk.admin().id().toString());
    assertThat(recipientsInDatabase(id)).containsExactlyInAnyOrderElementsOf(
        List.of(desk.anna().id(), desk.alexei().id(), desk.boris().id()));

    JsonObject annasList = get(desk.anna(), "/notices").getJsonObject("body");
    assertThat(annasList.getLong("total")).isEqualTo(1);
    assertThat(annasList.getLong("unread")).isEqualTo(1);
    JsonObject received = annasList.getJsonArray("items").getJsonObject(0);
    assertThat(received.getString("id")).isEqualTo(id.toString());
    assertThat(received.getBoolean("read")).isFalse();
    assertThat(received.getJsonObject("title").getString("ru")).isEqualTo("Обновление безопасности 7.1");
    assertThat(received.containsKey("recipientCount")).as("customers do not see counts").isFalse();

    assertThat(get(other.anna(), "/notices").getJsonObject("body").getLong("total")).isZero();
    assertThat(get(other.admin(), "/notices").getJsonObject("body").getLong("total")).isZero();
    assertThat(get(other.admin(), "/notices/" + id).getInteger("status")).isEqualTo(404);
  }

  @Test
  @DisplayName("a coordinator's notice to one organisation is seen by its customers only; the others neither list nor open it")
  void organisationNoticeIsHiddenFromOtherOrganisations() throws Exception {
    Desk desk = desk();

    HttpResponse<Buffer> published = post(desk.coordinator(), "/notices", new JsonObject()
        .put("kind", "maintenance")
        .put("title", new JsonObject().put("ru", "Плановые работы"))
        .put("body", new JsonObject().put("ru", "В субботу с 22:00 до 23:00 сервис недоступен."))
        .put("audience", "organisations")
        .put("organisationIds", new JsonArray().add(desk.alfa().toString())));

    assertThat(published.statusCode()).isEqualTo(201);
    String id = published.bodyAsJsonObject().getString("id");
    assertThat(published.bodyAsJsonObject().getJsonArray("organisationIds")).containsExactly(desk.alfa().toString());
    assertThat(recipientsInDatabase(UUID.fromString(id)))
        .containsExactlyInAnyOrderElementsOf(List.of(desk.anna().id(), desk.alexei().id()));
    assertThat(get(desk.boris(), "/notices").getJsonObject("body").getJsonArray("items")).isEmpty();
    assertThat(get(desk.boris(), "/notices/" + id).getJsonObject("body").getString("code")).isEqualTo("notice.not-found");
    assertThat(post(desk.boris(), "/notices/" + id + "/read", new JsonObject()).statusCode()).isEqualTo(404);
    assertThat(get(desk.anna(), "/notices/" + id).getJsonObject("body").getJsonObject("title").getString("ru"))
        .isEqualTo("Плановые работы");
  }

  @Test
  @DisplayName("a customer marks a notice read: their list shows it read, and staff see the read count")
  void customerMarksNoticeRead() {
    Desk desk = desk();
    String id = post(desk.admin(), "/notices", securityUpdate()).bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> read = post(desk.anna(), "/notices/" + id + "/read", new JsonObject());
    HttpResponse<Buffer> readAgain = post(desk.anna(), "/notices/" + id + "/read", new JsonObject());

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(readAgain.bodyAsJsonObject().getString("readAt")).isEqualTo(read.bodyAsJsonObject().getString("readAt"));
    JsonObject annasList = get(desk.anna(), "/notices").getJsonObject("body");
    assertThat(annasList.getLong("unread")).isZero();
    assertThat(annasList.getJsonArray("items").getJsonObject(0).getString("readAt"))
        .isEqualTo(read.bodyAsJsonObject().getString("readAt"));
    assertThat(get(desk.boris(), "/notices").getJsonObject("body").getLong("unread")).isEqualTo(1);
    JsonObject staffView = get(desk.agent(), "/notices/" + id).getJsonObject("body");
    assertThat(staffView.getLong("recipientCount")).isEqualTo(3);
    assertThat(staffView.getLong("readCount")).isEqualTo(1);
    assertThat(post(desk.agent(), "/notices/" + id + "/read", new JsonObject()).statusCode())
        .as("staff are not recipients").isEqualTo(404);
  }

  @Test
  @DisplayName("a customer or an agent cannot publish (403), and nothing is recorded")
  void customerAndAgentCannotPublish() {
    Desk desk = desk();

    HttpResponse<Buffer> byCustomer = post(desk.anna(), "/notices", securityUpdate());
    HttpResponse<Buffer> byAgent = post(desk.agent(), "/notices", securityUpdate());

    assertThat(byCustomer.statusCode()).isEqualTo(403);
    assertThat(byCustomer.bodyAsJsonObject().getString("code")).isEqualTo("notice.publish-forbidden");
    assertThat(byCustomer.bodyAsJsonObject().getString("title")).isEqualTo("Публикация запрещена");
    assertThat(byAgent.statusCode()).isEqualTo(403);
    assertThat(get(desk.admin(), "/notices").getJsonObject("body").getLong("total")).isZero();
    assertThat(get(desk.anna(), "/notices").getJsonObject("body").getLong("total")).isZero();
  }

  @Test
  @DisplayName("a malformed notice, an organisation of another tenant and a half-translated text are refused with the field named")
  void invalidNoticesAreRefused() {
    Desk desk = desk();
    Desk other = desk();

    HttpResponse<Buffer> noKind = post(desk.admin(), "/notices", securityUpdate().put("kind", "gossip"));
    HttpResponse<Buffer> foreign = post(desk.admin(), "/notices", securityUpdate().put("audience", "organisations")
        .put("organisationIds", new JsonArray().add(other.alfa().toString())));
    HttpResponse<Buffer> noOrganisations = post(desk.admin(), "/notices", securityUpdate().put("audience", "organisations"));
    HttpResponse<Buffer> halfEnglish = post(desk.admin(), "/notices", securityUpdate()
        .put("body", new JsonObject().put("ru", "Только по-русски")));

    assertThat(noKind.statusCode()).isEqualTo(400);
    assertThat(noKind.bodyAsJsonObject().getString("detail")).isEqualTo("Поле «kind» должно быть: one of security-update, maintenance, news.");
    assertThat(foreign.statusCode()).isEqualTo(400);
    assertThat(foreign.bodyAsJsonObject().getString("code")).isEqualTo("notice.organisation-unknown");
    assertThat(noOrganisations.bodyAsJsonObject().getString("detail")).contains("organisationIds");
    assertThat(halfEnglish.bodyAsJsonObject().getString("detail")).contains("body.en");
    assertThat(get(desk.admin(), "/notices").getJsonObject("body").getLong("total")).isZero();
  }

  @Test
  @DisplayName("repeating a publish with the same Idempotency-Key replays the first answer and tells nobody twice")
  void idempotencyKeyMakesRetrySafe() throws Exception {
    Desk desk = desk();

    HttpResponse<Buffer> first = request(HttpMethod.POST, desk.admin(), "/notices")
        .putHeader("Idempotency-Key", "release-7.1").sendJsonObject(securityUpdate()).await();
    HttpResponse<Buffer> retry = request(HttpMethod.POST, desk.admin(), "/notices")
        .putHeader("Idempotency-Key", "release-7.1").sendJsonObject(securityUpdate()).await();
    HttpResponse<Buffer> otherBody = request(HttpMethod.POST, desk.admin(), "/notices")
        .putHeader("Idempotency-Key", "release-7.1").sendJsonObject(securityUpdate().put("kind", "news")).await();

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(otherBody.statusCode()).isEqualTo(422);
    assertThat(get(desk.admin(), "/notices").getJsonObject("body").getLong("total")).isEqualTo(1);
    assertThat(recipientsInDatabase(UUID.fromString(first.bodyAsJsonObject().getString("id")))).hasSize(3);
  }
}
