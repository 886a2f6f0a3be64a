package dev.otklik.app;

import static dev.otklik.app.PortalBrowsers.click;
import static dev.otklik.app.PortalBrowsers.shot;
import static dev.otklik.app.PortalBrowsers.text;
import static dev.otklik.app.PortalBrowsers.waitFor;
import static dev.otklik.app.PortalBrowsers.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otklik.core.satisfaction.SurveyTokens;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Satisfaction surveys in Debian's headless Chromium, on a whole node in this JVM (АСМО with a
 * {@code satisfaction:} section added): the mailed link's page answers without signing in and then
 * says the survey was answered, an altered link says so, the requester answers the other survey on
 * the closed request's page, and the admin view's SLA report shows the figures. Skipped, naming the
 * missing binary, where Chromium or its driver is not installed (see {@link PortalBrowsers}).
 */
class SatisfactionBrowserTest {

  static final String ADMIN_TOKEN = "satisfaction-browser-admin-token";
  static final String JWT_SECRET = "satisfaction-browser-test-secret-0123456789";
  static final String T = "/api/v1/tenants/asmo";

  @TempDir static Path work;
  static OtklikNode node;
  static PortalBrowsers portal;
  static WebDriver browser;
  static String missing;
  static String admin;
  static String customer;
  static String agent;

  @BeforeAll
  static void start() throws Exception {
    missing = PortalBrowsers.missing();
    if (missing != null) {
      System.err.println("[SatisfactionBrowserTest] " + missing);
      return;   // the test is then skipped by the assumption in skipWithoutChromium, with this message
    }
    Path config = TestTenantConfig.copyTo(work.resolve("tenant-config"));
    Files.writeString(config.resolve("asmo.yaml"), "\nsatisfaction:\n  link-valid-days: 14\n",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Map<String, String> settings = TestNodes.settings(work, ADMIN_TOKEN, config);
    settings.put("jwt.secret", JWT_SECRET);
    node = OtklikNode.start(AppOptions.from(settings));
    portal = new PortalBrowsers("http://127.0.0.1:" + node.httpPort());

    portal.post("/api/v1/admin/tenants/asmo/users", ADMIN_TOKEN, new JsonObject().put("email", "admin@inform.example")
        .put("displayName", "Администратор").put("role", "tenant_admin").put("password", "admin-password-1"));
    admin = portal.login("asmo", "admin@inform.example", "admin-password-1");
    String org = portal.post(T + "/organisations", admin, new JsonObject().put("name", "ГБУЗ «Областная больница»"))
        .getString("id");
    portal.post(T + "/users", admin, new JsonObject().put("email", "anna@hospital.example")
        .put("displayName", "Анна Смирнова").put("role", "customer").put("organisationId", org)
        .put("password", "customer-password-1"));
    portal.post(T + "/users", admin, new JsonObject().put("email", "ivan@inform.example").put("displayName", "Иван")
        .put("role", "agent").put("password", "agent-password-1"));
    customer = portal.login("asmo", "anna@hospital.example", "customer-password-1");
    agent = portal.login("asmo", "ivan@inform.example", "agent-password-1");
    browser = PortalBrowsers.browser(work.resolve("chrome-survey"));
  }

  @BeforeEach
  void skipWithoutChromium() {
    assumeTrue(missing == null, () -> missing);
  }

  @AfterAll
  static void stop() {
    PortalBrowsers.quit(browser);
    if (node != null) {
      node.stop();
    }
  }

  /** A request Anna files and Ivan closes; returns its number. */
  static String fileAndClose(String subject) throws Exception {
    String number = portal.post(T + "/requests", customer, new JsonObject().put("subject", subject)
        .put("description", "Отчёт по приёмам падает с ошибкой").put("service", "error-fixing").put("priority", "high")
        .put("form", new JsonObject().put("expected-resolution-date", "2026-12-15"))).getString("number");
    portal.post(T + "/requests/" + number + "/transitions", agent, new JsonObject().put("action", "close"));
    return number;
  }

  /** The mailed link's token, made the way the node makes it (same secret, same derived key). */
  static String token(String number) throws Exception {
    JsonObject survey = portal.get(T + "/requests/" + number + "/satisfaction", agent).getJsonArray("items")
        .getJsonObject(0);
    return SurveyTokens.derivedFrom(JWT_SECRET.getBytes(StandardCharsets.UTF_8)).issue(new SurveyTokens.Claims("asmo",
        UUID.fromString(survey.getString("id")), Instant.parse(survey.getString("expiresAt"))));
  }

  @Test
  @DisplayName("the link's page takes one rating without signing in, then says it was answered; an altered link is refused; the requester answers on the request page; the report shows both")
  void surveyPagesAndReport() throws Exception {
    String viaLink = fileAndClose("Не формируется отчёт");
    String viaPortal = fileAndClose("Не печатается талон");
    String token = token(viaLink);

    portal.open(browser, "/t/asmo/#/survey/" + token);
    waitFor(browser, "#survey-form");
    assertThat(text(browser, "#survey-number")).isEqualTo(viaLink);
    assertThat(text(browser, "main")).contains("Не формируется отчёт").contains("Насколько вы довольны");
    click(browser, By.id("survey-form-submit"));
    waitUntil(() -> text(browser, "#survey-form-error").contains("Выберите оценку"), "a rating is asked for");
    click(browser, By.cssSelector("#survey-form [data-rating='4']"));
    assertThat(browser.findElement(By.cssSelector("#survey-form [data-rating='4']")).getAttribute("aria-pressed"))
        .isEqualTo("true");
    browser.findElement(By.id("survey-form-comment")).sendKeys("Быстро и понятно");
    shot(browser, "survey-link-ru");
    click(browser, By.id("survey-form-submit"));
    waitUntil(() -> text(browser, "#survey-status").contains("Спасибо"), "the thank-you");

    portal.open(browser, "/t/asmo/#/survey/" + token);
    waitUntil(() -> text(browser, "#survey-status").contains("уже ответили"), "the link is spent");
    String altered = token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);
    portal.open(browser, "/t/asmo/#/survey/" + altered);
    waitUntil(() -> text(browser, "#survey-status").contains("недействительна"), "an altered link is refused");

    portal.signIn(browser, "asmo", "anna@hospital.example", "customer-password-1");
    portal.open(browser, "/t/asmo/#/requests/" + viaPortal);
    waitFor(browser, "#request-survey");
    click(browser, By.cssSelector("#request-survey [data-rating='2']"));
    click(browser, By.id("request-survey-submit"));
    waitUntil(() -> !browser.findElements(By.id("survey-done")).isEmpty()
        && text(browser, "#survey-done").contains("2/5"), "the rating on the request page");
    shot(browser, "survey-request-page-ru");
    portal.open(browser, "/t/asmo/#/requests/" + viaLink);
    waitUntil(() -> !browser.findElements(By.id("survey-done")).isEmpty()
        && text(browser, "#survey-done").contains("4/5"), "the link's rating on its request page");

    click(browser, By.id("signout"));
    portal.signIn(browser, "asmo", "admin@inform.example", "admin-password-1");
    portal.open(browser, "/t/asmo/#/admin");
    waitFor(browser, "#satisfaction-report");
    // a period around today in any time zone, then "show"
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
        "const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);"
            + "document.getElementById('r-from').value = day(-1); document.getElementById('r-to').value = day(1);"
            + "document.getElementById('r-to').closest('.row').querySelector('button').click();");
    waitUntil(() -> text(browser, "#satisfaction-report").contains("3.00"), "the average in the admin report");
    assertThat(text(browser, "#satisfaction-report")).contains("100%");
    shot(browser, "survey-admin-report-ru");
  }
}
