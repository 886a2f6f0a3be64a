package dev.otklik.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.auth.Role;
import dev.otklik.core.satisfaction.SurveyTokens;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.Satisfaction;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.store.Organisation;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestClock;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestPeople;
import dev.otklik.store.TestSla;
import dev.otklik.store.TestTenants;
import dev.otklik.store.TicketStore;
import dev.otklik.store.UserAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Satisfaction surveys over real HTTP on the real embedded PostgreSQL: a closing through the API
 * writes the survey and its mail, the mailed link opens and answers the survey once without
 * signing in, tampered and lapsed links are refused, the requester answers in the portal, and the
 * SLA report counts the ratings.
 */
class SurveyHandlerTest {

  static final JwtKeys KEYS = JwtKeys.hs256("a-survey-test-secret-of-at-least-32-bytes", "otklik", "otklik-api",
      Duration.ofMinutes(15));
  static final Instant START = Instant.parse("2026-06-10T06:00:00Z"); // Wed 09:00 Moscow
  static final Pattern LINK = Pattern.compile("https://desk\\.example/t/([a-z0-9-]+)/#/survey/([A-Za-z0-9_.-]+)");
  /** Tenants the source knows; those in SURVEYING run a 14-day survey with their own question. */
  static final Set<String> TENANTS = ConcurrentHashMap.newKeySet();
  static final Set<String> SURVEYING = ConcurrentHashMap.newKeySet();
  static final Satisfaction SATISFACTION = new Satisfaction(true, Duration.ofDays(14),
      Optional.of(LocalizedText.of("Как мы справились?", "How did we do?")));

  static final TenantSource SOURCE = new TenantSource() {
    public List<JsonObject> configs() { return TENANTS.stream().map(id -> config(id).orElseThrow()).toList(); }
    public Optional<JsonObject> config(String id) {
      return TENANTS.contains(id) ? Optional.of(TicketHandlerTest.config(id).put("identity",
          new JsonObject().put("name", new JsonObject().put("ru", "Тест-сервис").put("en", "Test desk")))) : Optional.empty();
    }
    public Optional<Path> logo(String id) { return Optional.empty(); }
    public boolean loaded() { return true; }
    public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
    public Optional<TenantConfig> tenant(String id) {
      return !TENANTS.contains(id) ? Optional.empty()
          : Optional.of(SURVEYING.contains(id) ? TestSla.tenantConfig(id, SATISFACTION) : TestSla.tenantConfig(id));
    }
    public Optional<BusinessCalendar> calendar(String id) {
      return TENANTS.contains(id) ? Optional.of(TestSla.calendar()) : Optional.empty();
    }
  };

  static final TenantTransactions tx = TestDatabase.transactions();
  static final TestClock clock = new TestClock(START);
  static Vertx vertx;
  static WebClient client;
  static AccessTokens tokens;

  record Desk(String id, Organisation org, UserAccount customer, UserAccount colleague, UserAccount agent,
      UserAccount coordinator) {

    TicketStore.Caller customerCaller() {
      return new TicketStore.Caller(customer.id(), Role.CUSTOMER, org.id());
    }
  }

  static Desk desk(boolean surveying) {
    String id = TestTenants.create(tx);
    if (surveying) {
      SURVEYING.add(id);
    }
    TENANTS.add(id);
    Organisation org = TestPeople.organisation(tx, id);
    return new Desk(id, org, TestPeople.user(tx, id, Role.CUSTOMER, org.id()),
        TestPeople.user(tx, id, Role.CUSTOMER, org.id()), TestPeople.user(tx, id, Role.AGENT, null),
        TestPeople.user(tx, id, Role.COORDINATOR, null));
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new AccessTokens(vertx, KEYS);
    ApiOptions options = new ApiOptions("127.0.0.1", 0, 65536, null, KEYS, ApiOptions.DEFAULT_REFRESH_TTL,
        100_000, 100_000, clock).withPublicUrl("https://desk.example/");
    client = TestApi.serve(vertx, options, SOURCE);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /** A request filed by the customer (straight in the store), closed by the agent over HTTP. */
  static String fileAndClose(Desk d) {
    String number = new TicketStore(tx, clock).create(d.id(), d.customerCaller(), new TicketStore.NewTicket("ACME",
        TestSla.MOSCOW, "portal", null, "error", "urgent", null, null, "Не формируется отчёт", "Отчёт падает", null,
        d.org().id(), d.customer().id(), null, null, null), TestSla.clocks()).await().value().number();
    HttpResponse<Buffer> closed = send(HttpMethod.POST, "/api/v1/tenants/" + d.id() + "/requests/" + number
        + "/transitions", d.agent(), new JsonObject().put("action", "close"));
    assertThat(closed.statusCode()).as(closed.bodyAsString()).isEqualTo(200);
    return number;
  }

  static HttpResponse<Buffer> send(HttpMethod method, String uri, UserAccount as, JsonObject body) {
    HttpRequest<Buffer> r = client.request(method, uri).putHeader("Accept-Language", "en");
    if (as != null) {
      r.putHeader("Authorization", "Bearer " + tokens.issue(as).token());
    }
    return body == null ? r.send().await() : r.sendJsonObject(body).await();
  }

  static HttpResponse<Buffer> survey(String token) {
    return send(HttpMethod.GET, "/api/v1/surveys/" + token, null, null);
  }

  static HttpResponse<Buffer> answer(String token, Object rating, String comment) {
    return send(HttpMethod.POST, "/api/v1/surveys/" + token, null,
        new JsonObject().put("rating", rating).put("comment", comment));
  }

  static String code(HttpResponse<Buffer> r) {
    return r.statusCode() + " " + r.bodyAsJsonObject().getString("code");
  }

  static List<List<Object>> rows(String sql, Object parameter) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection(); PreparedStatement q = c.prepareStatement(sql)) {
      q.setObject(1, parameter);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.add(rs.getObject(i));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  /** The token of the newest survey mail of the tenant's request, from its link. */
  static String mailedToken(Desk d, String number) throws Exception {
    List<List<Object>> mails = rows("SELECT payload->'values'->>'link' FROM mail_outbox m JOIN ticket t"
        + " ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id WHERE m.kind = 'satisfaction-survey'"
        + " AND t.tenant_id || '/' || t.number = ? ORDER BY m.created_at DESC", d.id() + "/" + number);
    assertThat(mails).isNotEmpty();
    Matcher m = LINK.matcher((String) mails.get(0).get(0));
    assertThat(m.matches()).as((String) mails.get(0).get(0)).isTrue();
    assertThat(m.group(1)).isEqualTo(d.id());
    return m.group(2);
  }

  /** answered_at, rating, comment, answered_via of the request's surveys. */
  static List<List<Object>> answers(Desk d, String number) throws Exception {
    return rows("SELECT s.answered_at IS NOT NULL, s.rating, s.comment, s.answered_via FROM satisfaction_survey s"
        + " JOIN ticket t ON t.tenant_id = s.tenant_id AND t.id = s.ticket_id WHERE t.tenant_id || '/' || t.number = ?"
        + " ORDER BY s.created_at", d.id() + "/" + number);
  }

  @Test
  @DisplayName("closing through the API mails a link that opens the survey without signing in; it is answered once, a second answer is 409 and changes nothing")
  void linkAnswersOnce() throws Exception {
    Desk d = desk(true);
    String number = fileAndClose(d);
    assertThat(rows("SELECT count(*) FROM satisfaction_survey WHERE tenant_id = ?", d.id()).get(0).get(0))
        .isEqualTo(1L);
    String token = mailedToken(d, number);

    HttpResponse<Buffer> view = survey(token);
    assertThat(view.statusCode()).as(view.bodyAsString()).isEqualTo(200);
    JsonObject v = view.bodyAsJsonObject();
    assertThat(v.getJsonObject("tenant").getString("id")).isEqualTo(d.id());
    assertThat(v.getJsonObject("tenant").getJsonObject("name").getString("ru")).isEqualTo("Тест-сервис");
    assertThat(v.getJsonObject("request")).isEqualTo(new JsonObject().put("number", number)
        .put("subject", "Не формируется отчёт"));
    assertThat(v.getJsonObject("question").getString("en")).isEqualTo("How did we do?");
    assertThat(v.getJsonObject("scale")).isEqualTo(new JsonObject().put("min", 1).put("max", 5));
    assertThat(v.getString("state")).isEqualTo("open");
    assertThat(Instant.parse(v.getString("expiresAt"))).isEqualTo(START.plus(Duration.ofDays(14)));

    HttpResponse<Buffer> first = answer(token, 4, "Быстро, спасибо");
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getInteger("rating")).isEqualTo(4);
    assertThat(answers(d, number)).containsExactly(List.of(true, 4, "Быстро, спасибо", "link"));

    assertThat(code(answer(token, 1, "передумал"))).isEqualTo("409 survey.already-answered");
    assertThat(code(survey(token))).isEqualTo("409 survey.already-answered");
    assertThat(answers(d, number)).containsExactly(List.of(true, 4, "Быстро, спасибо", "link"));
    assertThat(rows("SELECT public, after->>'rating' FROM ticket_event e JOIN ticket t ON t.tenant_id = e.tenant_id"
        + " AND t.id = e.ticket_id WHERE e.type = 'satisfaction-rated' AND t.tenant_id || '/' || t.number = ?",
        d.id() + "/" + number))
        .containsExactly(List.of(false, "4"));

    // staff see the answer in the history; customers never see the internal event
    JsonArray staffEvents = send(HttpMethod.GET, "/api/v1/tenants/" + d.id() + "/requests/" + number + "/events",
        d.agent(), null).bodyAsJsonObject().getJsonArray("items");
    assertThat(staffEvents.stream().map(e -> ((JsonObject) e).getString("type"))).contains("satisfaction-rated");
    JsonArray customerEvents = send(HttpMethod.GET, "/api/v1/tenants/" + d.id() + "/requests/" + number + "/events",
        d.customer(), null).bodyAsJsonObject().getJsonArray("items");
    assertThat(customerEvents.stream().map(e -> ((JsonObject) e).getString("type"))).doesNotContain("satisfaction-rated");
  }

  @Test
  @DisplayName("a link with one character changed, another survey's id under this signature, a truncated or garbage link is refused with survey.link-invalid")
  void tamperedLinksAreRefused() throws Exception {
    Desk d = desk(true);
    String number = fileAndClose(d);
    String token = mailedToken(d, number);
    String other = mailedToken(d, fileAndClose(d));
    int dot = token.indexOf('.');
    char c = token.charAt(3);
    String oneChanged = token.substring(0, 3) + (c == 'A' ? 'B' : 'A') + token.substring(4);
    char last = token.charAt(token.length() - 1);
    String lastChanged = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    String swapped = other.substring(0, other.indexOf('.')) + token.substring(dot);
    for (String bad : List.of(oneChanged, lastChanged, swapped, token.substring(0, token.length() - 5),
        token.substring(0, dot), "garbage", "x".repeat(300))) {
      assertThat(code(survey(bad))).as(bad).isEqualTo("404 survey.link-invalid");
      assertThat(code(answer(bad, 5, null))).as(bad).isEqualTo("404 survey.link-invalid");
    }
    assertThat(answers(d, number)).containsExactly(java.util.Arrays.asList(false, null, null, null));
    HttpResponse<Buffer> ru = client.request(HttpMethod.GET, "/api/v1/surveys/" + oneChanged)
        .putHeader("Accept-Language", "ru").send().await();
    assertThat(ru.bodyAsJsonObject().getString("title")).isEqualTo("Ссылка на опрос недействительна");
    assertThat(ru.getHeader("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  @DisplayName("a link is bound to its tenant: a genuine signature naming another tenant's survey finds nothing")
  void linkIsBoundToItsTenant() throws Exception {
    Desk a = desk(true);
    Desk b = desk(true);
    String tokenOfB = mailedToken(b, fileAndClose(b));
    SurveyTokens.Claims claims = SurveyHandler.tokens(KEYS).verify(tokenOfB).orElseThrow();
    String forged = SurveyHandler.tokens(KEYS).issue(new SurveyTokens.Claims(a.id(), claims.surveyId(),
        claims.expiresAt()));
    assertThat(code(survey(forged))).isEqualTo("404 survey.link-invalid");
    assertThat(code(answer(forged, 5, null))).isEqualTo("404 survey.link-invalid");
    String unknownTenant = SurveyHandler.tokens(KEYS).issue(new SurveyTokens.Claims("no-such-tenant",
        claims.surveyId(), claims.expiresAt()));
    assertThat(code(survey(unknownTenant))).isEqualTo("404 survey.link-invalid");
    assertThat(survey(tokenOfB).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("after the link's expiry (clock moved on) the survey answers 410 and nothing is written")
  void expiredLink() throws Exception {
    Desk d = desk(true);
    String number = fileAndClose(d);
    String token = mailedToken(d, number);
    clock.advance(Duration.ofDays(14));
    try {
      assertThat(code(survey(token))).isEqualTo("410 survey.link-expired");
      assertThat(code(answer(token, 5, "поздно"))).isEqualTo("410 survey.link-expired");
    } finally {
      clock.advance(Duration.ofDays(-14));
    }
    assertThat(answers(d, number)).containsExactly(java.util.Arrays.asList(false, null, null, null));
    assertThat(survey(token).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a rating of 0, 6, 4.5, \"5\" or none, or an unknown field, is 400 and writes nothing")
  void badRatings() throws Exception {
    Desk d = desk(true);
    String number = fileAndClose(d);
    String token = mailedToken(d, number);
    for (Object rating : java.util.Arrays.asList(0, 6, 4.5, "5", null, -1, 100_000_000_000L)) {
      assertThat(code(answer(token, rating, "x"))).as(String.valueOf(rating)).isEqualTo("400 request.field-invalid");
    }
    assertThat(code(answer(token, 3, "x".repeat(2001)))).isEqualTo("400 request.field-invalid");
    assertThat(code(send(HttpMethod.POST, "/api/v1/surveys/" + token, null,
        new JsonObject().put("rating", 3).put("score", 3)))).isEqualTo("400 request.field-unknown");
    assertThat(code(client.request(HttpMethod.POST, "/api/v1/surveys/" + token).sendBuffer(Buffer.buffer("{")).await()))
        .isEqualTo("400 request.malformed-json");
    assertThat(answers(d, number)).containsExactly(java.util.Arrays.asList(false, null, null, null));
    assertThat(answer(token, 3, null).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a tenant without satisfaction: gets no survey when a request closes")
  void noSurveyWithoutTheSetting() throws Exception {
    Desk d = desk(false);
    String number = fileAndClose(d);
    assertThat(answers(d, number)).isEmpty();
    assertThat(rows("SELECT count(*) FROM mail_outbox WHERE tenant_id = ? AND kind = 'satisfaction-survey'", d.id())
        .get(0).get(0)).isEqualTo(0L);
    assertThat(code(send(HttpMethod.POST, "/api/v1/tenants/" + d.id() + "/requests/" + number + "/satisfaction",
        d.customer(), new JsonObject().put("rating", 5)))).isEqualTo("404 survey.not-found");
  }

  @Test
  @DisplayName("the requester sees the pending survey on the closed request and answers it there, once; staff and colleagues cannot answer it")
  void answeredInThePortal() throws Exception {
    Desk d = desk(true);
    String number = fileAndClose(d);
    String path = "/api/v1/tenants/" + d.id() + "/requests/" + number + "/satisfaction";
    JsonObject mine = send(HttpMethod.GET, path, d.customer(), null).bodyAsJsonObject();
    assertThat(mine.getJsonArray("items")).hasSize(1);
    assertThat(mine.getJsonArray("items").getJsonObject(0).getString("state")).isEqualTo("open");
    assertThat(mine.getJsonArray("items").getJsonObject(0).containsKey("recipientId")).isFalse();
    assertThat(mine.getJsonObject("question").getString("ru")).isEqualTo("Как мы справились?");
    assertThat(send(HttpMethod.GET, path, d.colleague(), null).bodyAsJsonObject().getJsonArray("items")).isEmpty();

    assertThat(code(send(HttpMethod.POST, path, d.agent(), new JsonObject().put("rating", 5))))
        .isEqualTo("403 survey.not-recipient");
    assertThat(code(send(HttpMethod.POST, path, d.colleague(), new JsonObject().put("rating", 1))))
        .isEqualTo("403 survey.not-recipient");
    HttpResponse<Buffer> ok = send(HttpMethod.POST, path, d.customer(), new JsonObject().put("rating", 2)
        .put("comment", "Долго"));
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
    assertThat(code(send(HttpMethod.POST, path, d.customer(), new JsonObject().put("rating", 5))))
        .isEqualTo("409 survey.already-answered");
    assertThat(code(answer(mailedToken(d, number), 5, null))).as("the link is spent too")
        .isEqualTo("409 survey.already-answered");
    assertThat(answers(d, number)).containsExactly(List.of(true, 2, "Долго", "portal"));
    JsonObject staff = send(HttpMethod.GET, path, d.agent(), null).bodyAsJsonObject().getJsonArray("items")
        .getJsonObject(0);
    assertThat(staff.getInteger("rating")).isEqualTo(2);
    assertThat(staff.getString("recipientId")).isEqualTo(d.customer().id().toString());
  }

  @Test
  @DisplayName("the SLA report counts the period's surveys: sent, answered, response rate, average, 1-5 spread, per group and per agent, in JSON and CSV")
  void reportCountsRatings() throws Exception {
    Desk d = desk(true);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tokens.add(mailedToken(d, fileAndClose(d)));
    }
    assertThat(answer(tokens.get(0), 5, null).statusCode()).isEqualTo(200);
    assertThat(answer(tokens.get(1), 2, "долго").statusCode()).isEqualTo(200);

    JsonObject report = send(HttpMethod.GET, "/api/v1/tenants/" + d.id() + "/reports/sla?from=2026-06-01&to=2026-06-30",
        d.coordinator(), null).bodyAsJsonObject();
    JsonObject total = report.getJsonObject("satisfaction");
    assertThat(total.getInteger("sent")).isEqualTo(3);
    assertThat(total.getInteger("answered")).isEqualTo(2);
    assertThat(total.getDouble("responseRate")).isEqualTo(0.6667);
    assertThat(total.getDouble("averageRating")).isEqualTo(3.5);
    assertThat(total.getJsonObject("distribution")).isEqualTo(new JsonObject().put("1", 0).put("2", 1).put("3", 0)
        .put("4", 0).put("5", 1));
    assertThat(total.getJsonArray("agents")).hasSize(1);
    assertThat(total.getJsonArray("agents").getJsonObject(0).getValue("agentId")).as("closed unassigned").isNull();
    JsonObject group = report.getJsonArray("groups").getJsonObject(0);
    assertThat(group.getString("category")).isEqualTo("error");
    assertThat(group.getJsonObject("satisfaction").getInteger("answered")).isEqualTo(2);

    String csv = send(HttpMethod.GET, "/api/v1/tenants/" + d.id()
        + "/reports/sla?from=2026-06-01&to=2026-06-30&format=csv", d.coordinator(), null).bodyAsString("UTF-8");
    String[] lines = csv.split("\r\n");
    assertThat(lines[0]).endsWith(",surveys_sent,surveys_answered,response_rate,average_rating,"
        + "rating_1,rating_2,rating_3,rating_4,rating_5");
    assertThat(lines[1]).startsWith("error,urgent,3,").endsWith(",3,2,0.6667,3.5,0,1,0,0,1");
    assertThat(lines[2]).isEmpty();
    assertThat(lines[3]).isEqualTo("satisfaction,agent_id,agent_name,surveys_sent,surveys_answered,response_rate,"
        + "average_rating,rating_1,rating_2,rating_3,rating_4,rating_5");
    assertThat(lines[4]).isEqualTo("total,,,3,2,0.6667,3.5,0,1,0,0,1");
    assertThat(lines[5]).isEqualTo("agent,,,3,2,0.6667,3.5,0,1,0,0,1");
  }

  @Test
  @DisplayName("a survey link counts against the rate limit like a caller: 429 with Retry-After past it")
  void linkIsRateLimited() throws Exception {
    Vertx limited = Vertx.vertx();
    try {
      ApiOptions options = new ApiOptions("127.0.0.1", 0, 65536, null, KEYS, ApiOptions.DEFAULT_REFRESH_TTL, 2,
          100_000, clock).withPublicUrl("https://desk.example");
      WebClient web = TestApi.serve(limited, options, SOURCE);
      Desk d = desk(true);
      String token = mailedToken(d, fileAndClose(d));
      assertThat(web.get("/api/v1/surveys/" + token).send().await().statusCode()).isEqualTo(200);
      assertThat(web.get("/api/v1/surveys/" + token).send().await().statusCode()).isEqualTo(200);
      HttpResponse<Buffer> third = web.get("/api/v1/surveys/" + token).send().await();
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.getHeader("Retry-After")).isNotBlank();
    } finally {
      limited.close().await();
    }
  }
}
