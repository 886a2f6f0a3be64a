package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otklik.mail.inbound.InboundMailParser;
import dev.otklik.mail.inbound.ParsedMail;
import dev.otklik.store.TestClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole node with SMTP (GreenMail) and a hand-moved clock, on the real ЦИК-Алекон config with a
 * {@code satisfaction:} section added: a request closed by its 8-hour form timer and one closed by
 * an agent each mail the customer a survey link; the link from the mail opens the portal page and
 * answers the survey once without signing in; the SLA report counts the rating.
 */
@DisplayName("Satisfaction surveys through a running node")
class SatisfactionEndToEndTest {

  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
      ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP})).withPerMethodLifecycle(false);

  static final String ADMIN_TOKEN = "survey-e2e-admin-token";
  static final String T = "/api/v1/tenants/cik-alekon";
  /** Wednesday 10 June 2026, 09:00 in Moscow. */
  static final TestClock clock = new TestClock(Instant.parse("2026-06-10T06:00:00Z"));
  static final Pattern LINK = Pattern.compile("(http://localhost:\\d+)(/t/cik-alekon/)#/survey/([A-Za-z0-9_.-]+)");

  @TempDir static Path work;
  static OtklikNode node;
  static WebClient http;
  static NodeHttp api;

  @BeforeAll
  static void start() throws Exception {
    Path config = TestTenantConfig.copyTo(work.resolve("tenant-config"));
    Files.writeString(config.resolve("cik-alekon.yaml"), "\nsatisfaction:\n  link-valid-days: 14\n"
        + "  question: {ru: \"Как мы справились с вашим обращением?\", en: \"How did we handle your request?\"}\n",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Map<String, String> settings = TestNodes.settings(work, ADMIN_TOKEN, config);
    settings.put("mail.smtp.host", "127.0.0.1");
    settings.put("mail.smtp.port", String.valueOf(GREEN_MAIL.getSmtp().getPort()));
    settings.put("mail.smtp.starttls", "disabled");
    settings.put("mail.dispatch-interval", "PT0.2S");
    node = OtklikNode.start(AppOptions.from(settings), clock);
    http = WebClient.create(node.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(node.httpPort()));
    api = new NodeHttp(http, T);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  @DisplayName("closings by the form timer and by an agent mail survey links that open the portal and answer once; the report counts the rating")
  void surveyFromClosingToReport() throws Exception {
    api.post("/api/v1/admin/tenants/cik-alekon/users", "Bearer " + ADMIN_TOKEN, new JsonObject()
        .put("email", "admin@alekon.example").put("displayName", "Администратор").put("role", "tenant_admin")
        .put("password", "admin-password-1"), 201);
    String admin = api.login("admin@alekon.example", "admin-password-1");
    String org = api.post(T + "/organisations", admin, new JsonObject().put("name", "Избирательная комиссия"), 201)
        .getString("id");
    String customerId = api.post(T + "/users", admin, new JsonObject().put("email", "olga@customer.example")
        .put("displayName", "Ольга").put("role", "customer").put("organisationId", org)
        .put("password", "customer-password-1"), 201).getString("id");
    api.post(T + "/users", admin, new JsonObject().put("email", "petr@alekon.example").put("displayName", "Пётр")
        .put("role", "agent").put("password", "agent-password-1"), 201);
    String agent = api.login("petr@alekon.example", "agent-password-1");
    JsonObject phoneCall = new JsonObject().put("organisationId", org).put("requesterId", customerId)
        .put("subject", "Не формируется протокол").put("description", "Принят звонок");

    // 1: the form never arrives; the node's own timer closes the request by timeout 8 hours later.
    String byTimer = api.post(T + "/requests", agent, phoneCall, 201).getString("number");
    // 2: an agent closes it.
    String byAgent = api.post(T + "/requests", agent, phoneCall.copy().put("subject", "Сбой выгрузки"), 201)
        .getString("number");
    api.post(T + "/requests/" + byAgent + "/transitions", agent, new JsonObject().put("action", "close"), 200);
    clock.advance(Duration.ofHours(8));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"closed-by-timeout".equals(api.get(T + "/requests/" + byTimer, agent).getString("status"))
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(api.get(T + "/requests/" + byTimer, agent).getString("status")).isEqualTo("closed-by-timeout");

    Map<String, ParsedMail> surveys = surveyMails(2);
    assertThat(surveys).containsOnlyKeys(byTimer, byAgent);
    ParsedMail mail = surveys.get(byAgent);
    assertThat(mail.subject()).isEqualTo("[" + byAgent + "] Оцените, как мы помогли");
    assertThat(mail.to().get(0).address()).isEqualTo("olga@customer.example");
    assertThat(mail.textBody()).contains("Ольга", "«Сбой выгрузки»", "24.06.2026");
    Matcher link = LINK.matcher(mail.textBody());
    assertThat(link.find()).as(mail.textBody()).isTrue();
    assertThat(link.group(1)).isEqualTo("http://localhost:" + node.httpPort());
    String token = link.group(3);

    // The link resolves: the portal page it names is served, and the survey it carries opens.
    HttpResponse<Buffer> page = http.get(link.group(2)).send().await();
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("cik-alekon");
    JsonObject view = getPublic("/api/v1/surveys/" + token, 200);
    assertThat(view.getJsonObject("request").getString("number")).isEqualTo(byAgent);
    assertThat(view.getJsonObject("question").getString("ru")).isEqualTo("Как мы справились с вашим обращением?");

    assertThat(postPublic("/api/v1/surveys/" + token, new JsonObject().put("rating", 5).put("comment", "Спасибо!"))
        .statusCode()).isEqualTo(200);
    HttpResponse<Buffer> again = postPublic("/api/v1/surveys/" + token, new JsonObject().put("rating", 1));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("code")).isEqualTo("survey.already-answered");

    // The timer's survey is still open; the agent sees the answered one in the history.
    Matcher other = LINK.matcher(surveys.get(byTimer).textBody());
    assertThat(other.find()).isTrue();
    assertThat(getPublic("/api/v1/surveys/" + other.group(3), 200).getJsonObject("request").getString("number"))
        .isEqualTo(byTimer);
    JsonArray events = api.get(T + "/requests/" + byAgent + "/events", agent).getJsonArray("items");
    assertThat(events.stream().map(e -> ((JsonObject) e).getString("type"))).contains("satisfaction-rated");

    JsonObject report = api.get(T + "/reports/sla?from=2026-06-01&to=2026-06-30", admin).getJsonObject("satisfaction");
    assertThat(report.getInteger("sent")).isEqualTo(2);
    assertThat(report.getInteger("answered")).isEqualTo(1);
    assertThat(report.getDouble("averageRating")).isEqualTo(5.0);
    assertThat(report.getJsonObject("distribution").getInteger("5")).isEqualTo(1);
  }

  /** The survey mails received so far, by request number, waiting until {@code expected} have come. */
  static Map<String, ParsedMail> surveyMails(int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<String, ParsedMail> out = new HashMap<>();
    while (System.nanoTime() < deadline) {
      out.clear();
      for (MimeMessage m : GREEN_MAIL.getReceivedMessages()) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeTo(bytes);
        ParsedMail parsed = new InboundMailParser().parse(bytes.toByteArray());
        if (parsed.subject() != null && parsed.subject().contains("Оцените")) {
          Matcher n = Pattern.compile("\\[([A-Z0-9-]+)\\]").matcher(parsed.subject());
          assertThat(n.find()).isTrue();
          assertThat(out.put(n.group(1), parsed)).as("one survey mail per request").isNull();
        }
      }
      if (out.size() >= expected) {
        return out;
      }
      Thread.sleep(200);
    }
    List<String> subjects = new ArrayList<>();
    for (MimeMessage m : GREEN_MAIL.getReceivedMessages()) {
      subjects.add(m.getSubject());
    }
    throw new AssertionError("expected " + expected + " survey mails, got " + out.keySet() + " among " + subjects);
  }

  static JsonObject getPublic(String path, int expectedStatus) {
    HttpResponse<Buffer> r = http.get(path).send().await();
    assertThat(r.statusCode()).as(path + " -> " + r.bodyAsString()).isEqualTo(expectedStatus);
    return r.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> postPublic(String path, JsonObject body) {
    return http.post(path).sendJsonObject(body).await();
  }



}
