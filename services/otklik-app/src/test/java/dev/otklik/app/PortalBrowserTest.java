package dev.otklik.app;

import static dev.otklik.app.PortalBrowsers.SHOTS;
import static dev.otklik.app.PortalBrowsers.browser;
import static dev.otklik.app.PortalBrowsers.click;
import static dev.otklik.app.PortalBrowsers.liveConnected;
import static dev.otklik.app.PortalBrowsers.select;
import static dev.otklik.app.PortalBrowsers.send;
import static dev.otklik.app.PortalBrowsers.shot;
import static dev.otklik.app.PortalBrowsers.statusOf;
import static dev.otklik.app.PortalBrowsers.text;
import static dev.otklik.app.PortalBrowsers.waitFor;
import static dev.otklik.app.PortalBrowsers.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;

/**
 * The portal and console in Debian's headless Chromium (Selenium, {@code /usr/bin/chromedriver}; never
 * downloads a browser or driver). A whole node runs in this JVM as in {@link OtklikNodeTest}. A customer
 * of АСМО and an agent work in two browsers at once; live updates must arrive without a reload.
 * Screenshots of the main pages (ru and en) go to {@code target/screenshots}.
 * Skipped, with a message naming the missing binary, where Chromium or its driver is not installed.
 * The browser set-up and page helpers are shared with the other browser tests ({@link PortalBrowsers}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserTest {

  static final String ADMIN_TOKEN = "browser-admin-token";

  @TempDir static Path work;
  static OtklikNode node;
  static String base;
  static PortalBrowsers portal;
  static WebDriver customer;
  static WebDriver agent;
  static String number;

  /** Why the browser tests cannot run here, or null. */
  static String missing;

  @BeforeAll
  static void start() throws Exception {
    missing = PortalBrowsers.missing();
    if (missing != null) {
      System.err.println("[PortalBrowserTest] " + missing);
      return;   // each test is then skipped by the assumption in skipWithoutChromium, with this message
    }
    Map<String, String> settings = TestNodes.settings(work, ADMIN_TOKEN);
    node = OtklikNode.start(AppOptions.from(settings));
    base = "http://127.0.0.1:" + node.httpPort();
    portal = new PortalBrowsers(base);

    post("/api/v1/admin/tenants/asmo/users", ADMIN_TOKEN, new JsonObject().put("email", "admin@inform.example")
        .put("displayName", "Администратор").put("role", "tenant_admin").put("password", "admin-password-1"));
    String admin = login("asmo", "admin@inform.example", "admin-password-1");
    String org = post("/api/v1/tenants/asmo/organisations", admin, new JsonObject().put("name", "ГБУЗ «Областная больница»"))
        .getString("id");
    post("/api/v1/tenants/asmo/users", admin, new JsonObject().put("email", "anna@hospital.example").put("displayName", "Анна")
        .put("role", "customer").put("organisationId", org).put("password", "customer-password-1"));
    String ivan = post("/api/v1/tenants/asmo/users", admin, new JsonObject().put("email", "ivan@inform.example")
        .put("displayName", "Иван").put("role", "agent").put("password", "agent-password-1")).getString("id");
    // a few earlier requests, so the queue and the list look like a working desk
    String anna = login("asmo", "anna@hospital.example", "customer-password-1");
    String[][] earlier = {
        {"Не печатаются направления на анализы", "error-fixing", "normal"},
        {"Как настроить роли для регистратуры?", "consultations", "low"},
        {"Обновить руководство пользователя до версии 5.1", "documentation-updates", "normal"}};
    for (String[] r : earlier) {
      String n = post("/api/v1/tenants/asmo/requests", anna, new JsonObject().put("subject", r[0]).put("description", r[0])
          .put("service", r[1]).put("priority", r[2]).put("form", new JsonObject().put("expected-resolution-date", "2026-12-30")))
          .getString("number");
      if (r[1].equals("error-fixing")) {
        send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants/asmo/requests/" + n))
            .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json").header("If-Match", "\"1\"")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(new JsonObject().put("assigneeId", ivan)
                .put("category", "typical").put("plannedDate", "2026-11-27").encode())).build());
      }
    }

    post("/api/v1/admin/tenants/cik-alekon/users", ADMIN_TOKEN, new JsonObject().put("email", "admin@cik.example")
        .put("displayName", "Администратор").put("role", "tenant_admin").put("password", "admin-password-1"));
    String cikAdmin = login("cik-alekon", "admin@cik.example", "admin-password-1");
    String plant = post("/api/v1/tenants/cik-alekon/organisations", cikAdmin, new JsonObject().put("name", "АО «Завод»"))
        .getString("id");
    post("/api/v1/tenants/cik-alekon/users", cikAdmin, new JsonObject().put("email", "olga@zavod.example")
        .put("displayName", "Ольга").put("role", "customer").put("organisationId", plant).put("password", "customer-password-1"));

    Files.createDirectories(SHOTS);
    customer = browser(work.resolve("chrome-customer"));
    agent = browser(work.resolve("chrome-agent"));
  }

  @BeforeEach
  void skipWithoutChromium() {
    assumeTrue(missing == null, () -> missing);
  }

  @AfterAll
  static void stop() {
    PortalBrowsers.quit(customer, agent);
    if (node != null) {
      node.stop();
    }
  }

  // ---------- tests ----------

  @Test
  @Order(1)
  @DisplayName("АСМО's portal shows АСМО's branding, hours, contacts, catalogue and SLA table, in Russian and in English")
  void customerPortalShowsTheVendorsBrandingAndHours() {
    open(customer, "/t/asmo/");
    assertThat(text(customer, "#brand-name")).isEqualTo("АСМО");
    assertThat(text(customer, "#brand-vendor")).isEqualTo("АО «Информатика»");
    assertThat(customer.findElement(By.cssSelector("html")).getAttribute("lang")).isEqualTo("ru");
    assertThat(text(customer, "#hours")).contains("Часы работы").contains("08:45-17:00").contains("Europe/Moscow");
    assertThat(text(customer, "#contacts")).contains("+7 (4932) 42-88-40").contains("support@inform.ivanovo.ru");
    assertThat(customer.findElement(By.id("top")).getCssValue("background-color")).isEqualTo("rgba(29, 79, 145, 1)");
    assertThat(customer.findElement(By.id("logo")).getAttribute("src")).endsWith("/api/v1/tenants/asmo/logo");
    shot(customer, "portal-home-ru");

    click(customer, By.cssSelector("[data-nav=catalogue]"));
    waitFor(customer, "#sla-table");
    assertThat(text(customer, "#catalogue")).contains("Устранение ошибок в работе ПО АСМО");
    assertThat(text(customer, "#sla-table")).contains("Время реакции на Обращение – 2 часа").contains("2 раб. ч");
    shot(customer, "portal-catalogue-ru");

    click(customer, By.id("lang"));
    waitUntil(() -> text(customer, "h1").equals("Services and SLA"), "English catalogue heading");
    assertThat(text(customer, "#catalogue")).contains("Fixing errors in ASMO software");
    assertThat(text(customer, "#sla-table")).contains("Reaction to a request: 2 hours").contains("2 working hours");
    assertThat(customer.findElement(By.cssSelector("html")).getAttribute("lang")).isEqualTo("en");
    shot(customer, "portal-catalogue-en");
    open(customer, "/t/asmo/");
    assertThat(text(customer, "#hours")).contains("Working hours");
    shot(customer, "portal-home-en");
    click(customer, By.id("lang"));   // back to Russian
    waitUntil(() -> text(customer, "#hours").contains("Часы работы"), "Russian home page");
  }

  @Test
  @Order(2)
  @DisplayName("a customer signs in, files a request with an attachment and sees it in the list; the agent's queue shows it live")
  void customerFilesARequestAndTheAgentSeesItLive() throws Exception {
    signIn(agent, "ivan@inform.example", "agent-password-1");
    waitFor(agent, "#queue");
    waitUntil(() -> liveConnected(agent), "agent's live connection");
    ((JavascriptExecutor) agent).executeScript("window.__noReload = 'still here';");

    open(customer, "/t/asmo/#/signin");
    shot(customer, "portal-signin-ru");
    signIn(customer, "anna@hospital.example", "customer-password-1");
    waitFor(customer, "#requests");
    click(customer, By.cssSelector("[data-nav=new]"));
    waitFor(customer, "#new-request");
    customer.findElement(By.id("f-subject")).sendKeys("Не формируется отчёт по приёмам");
    customer.findElement(By.id("f-description")).sendKeys("Отчёт по приёмам за ноябрь падает с ошибкой 500.");
    select(customer, "f-service", "error-fixing");
    select(customer, "f-priority", "high");
    ((JavascriptExecutor) customer).executeScript(
        "document.getElementById('form-expected-resolution-date').value = '2026-12-15';");
    Path file = work.resolve("otchet-oshibka.txt");
    Files.writeString(file, "java.lang.IllegalStateException: отчёт не сформирован\n", StandardCharsets.UTF_8);
    customer.findElement(By.id("f-files")).sendKeys(file.toAbsolutePath().toString());
    shot(customer, "portal-new-request-ru");
    click(customer, By.id("new-submit"));

    waitFor(customer, "#request-number");
    number = text(customer, "#request-number");
    assertThat(number).matches("ASMO-\\d{4}-\\d{6}");
    waitUntil(() -> text(customer, "#attachments").contains("otchet-oshibka.txt"), "attachment listed on the request page");

    // the agent's queue got the row over the WebSocket, without a reload
    waitUntil(() -> !agent.findElements(By.cssSelector("#queue-rows tr[data-number='" + number + "']")).isEmpty(),
        "the new request in the agent's queue");
    assertThat(((JavascriptExecutor) agent).executeScript("return window.__noReload;")).isEqualTo("still here");
    waitUntil(() -> !agent.findElements(By.cssSelector("#queue-rows tr[data-number='" + number + "'] .sla")).isEmpty(),
        "SLA countdown in the queue");
    shot(agent, "console-queue-ru");

    click(customer, By.cssSelector("[data-nav=requests]"));
    waitUntil(() -> !customer.findElements(By.cssSelector("#request-rows tr[data-number='" + number + "']")).isEmpty(),
        "the new request in the customer's list");
    assertThat(text(customer, "#request-rows")).contains("Не формируется отчёт по приёмам").contains("Новое");
    shot(customer, "portal-requests-ru");

    // and the rows are real: over REST the request has the form answer and the attachment
    String token = login("asmo", "anna@hospital.example", "customer-password-1");
    JsonObject request = get("/api/v1/tenants/asmo/requests/" + number, token);
    assertThat(request.getString("service")).isEqualTo("error-fixing");
    assertThat(request.getJsonObject("form").getString("expected-resolution-date")).isEqualTo("2026-12-15");
    JsonObject attachments = get("/api/v1/tenants/asmo/requests/" + number + "/attachments", token);
    assertThat(attachments.getJsonArray("items").getJsonObject(0).getString("fileName")).isEqualTo("otchet-oshibka.txt");
  }

  @Test
  @Order(3)
  @DisplayName("the agent triages and proposes a solution, the customer accepts it, and both pages update live")
  void agentProposesCustomerAcceptsBothUpdateLive() {
    open(customer, "/t/asmo/#/requests/" + number);
    waitFor(customer, "#request-number");
    ((JavascriptExecutor) customer).executeScript("window.__noReload = 'customer';");

    // keyboard: j focuses the first (newest) row of the queue, Enter opens it
    agent.findElement(By.tagName("body")).sendKeys("j");
    assertThat(agent.switchTo().activeElement().getText()).isEqualTo(number);
    agent.switchTo().activeElement().sendKeys(Keys.ENTER);
    waitFor(agent, "#triage-form");
    assertThat(text(agent, "#request-number")).isEqualTo(number);
    select(agent, "t-category", "typical");
    click(agent, By.id("triage-save"));
    waitUntil(() -> text(agent, "#summary").contains("Типовой вопрос"), "category saved with If-Match");
    agent.findElement(By.id("comment-body")).sendKeys("Проверили журнал, исправление выложено на стенд.");
    click(agent, By.id("comment-send"));
    waitUntil(() -> text(agent, "#comments").contains("исправление выложено"), "agent's reply");
    click(agent, By.id("start"));
    waitUntil(() -> statusOf(agent).equals("in-progress"), "status in progress");
    click(agent, By.id("propose"));
    waitUntil(() -> statusOf(agent).equals("solution-proposed"), "solution proposed on the agent's page");
    shot(agent, "console-request-ru");

    waitUntil(() -> !customer.findElements(By.id("accept")).isEmpty(), "accept button on the customer's page, live");
    assertThat(text(customer, "#comments")).contains("исправление выложено");
    assertThat(((JavascriptExecutor) customer).executeScript("return window.__noReload;")).isEqualTo("customer");
    shot(customer, "portal-request-proposed-ru");
    click(customer, By.id("accept"));
    waitUntil(() -> statusOf(customer).equals("accepted"), "accepted on the customer's page");
    waitUntil(() -> statusOf(agent).equals("accepted"), "accepted on the agent's page, live");
    assertThat(text(agent, "#history")).contains("Статус изменён");

    click(agent, By.id("lang"));
    waitUntil(() -> text(agent, "#history").contains("Status changed"), "English request page");
    shot(agent, "console-request-en");
    click(agent, By.cssSelector("[data-nav=queue]"));
    waitFor(agent, "#queue");
    select(agent, "q-status", "");
    waitUntil(() -> !agent.findElements(By.cssSelector("#queue-rows tr[data-number='" + number + "']")).isEmpty(), "queue, all");
    shot(agent, "console-queue-en");
    click(agent, By.id("lang"));
  }

  @Test
  @Order(4)
  @DisplayName("ИМЦ's portal shows ИМЦ's catalogue and no АСМО data, even with the АСМО session token planted")
  void otherTenantsPortalShowsNoAsmoData() throws Exception {
    open(customer, "/t/asmo/#/requests");
    String asmoSession = (String) ((JavascriptExecutor) customer).executeScript(
        "return sessionStorage.getItem('otklik.session:/t/asmo/');");
    assertThat(asmoSession).contains("accessToken");

    open(customer, "/t/imc/#/catalogue");
    waitFor(customer, "#catalogue");
    assertThat(text(customer, "#brand-name")).isEqualTo("ИМЦ");
    shot(customer, "portal-imc-catalogue-ru");
    assertThat(customer.findElements(By.cssSelector("[data-nav=requests]"))).isEmpty();   // not signed in here
    String imcCatalogue = text(customer, "#catalogue");
    assertThat(imcCatalogue).isNotBlank().doesNotContain("АСМО");

    // plant the АСМО session under ИМЦ's key: the portal refuses to use it
    ((JavascriptExecutor) customer).executeScript("sessionStorage.setItem('otklik.session:/t/imc/', arguments[0]);", asmoSession);
    open(customer, "/t/imc/#/requests");
    String page = customer.findElement(By.tagName("body")).getText();
    assertThat(page).doesNotContain("АСМО").doesNotContain(number).doesNotContain("Не формируется отчёт");
    assertThat(((JavascriptExecutor) customer).executeScript("return sessionStorage.getItem('otklik.session:/t/imc/');")).isNull();
    assertThat(page).contains("Сеанс относится к другому порталу");
    shot(customer, "portal-imc-wrong-session-ru");
    // and the API itself refuses the АСМО token on ИМЦ's routes
    String asmoToken = new JsonObject(asmoSession).getString("accessToken");
    HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants/imc/requests"))
        .header("Authorization", "Bearer " + asmoToken).GET().build());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("auth.wrong-tenant");
    open(customer, "/t/imc/#/catalogue");
    click(customer, By.id("lang"));
    waitUntil(() -> text(customer, "h1").equals("Services and SLA"), "ИМЦ in English");
    shot(customer, "portal-imc-en");
  }

  @Test
  @Order(5)
  @DisplayName("the tenant admin sees the loaded config and the SLA report with its SVG chart; phone-width pages stay usable")
  void adminViewAndPhoneWidth() {
    click(agent, By.id("signout"));
    signIn(agent, "admin@inform.example", "admin-password-1");
    waitFor(agent, "#queue");
    click(agent, By.cssSelector("[data-nav=admin]"));
    waitFor(agent, "#sla-chart");
    assertThat(text(agent, "#sla-report")).contains("1");
    assertThat(text(agent, "#config")).contains("\"requestNumberPrefix\": \"ASMO\"");
    waitUntil(() -> text(agent, "#webhooks").contains("Вебхуков нет."), "webhook endpoints (none yet)");
    waitUntil(() -> text(agent, "#quarantine").contains("Карантин пуст."), "mail quarantine (empty)");
    shot(agent, "console-admin-ru");

    // a mass notice published in the console reaches the customer's news page
    click(agent, By.cssSelector("[data-nav=notice]"));
    waitFor(agent, "#notice-form");
    select(agent, "n-kind", "maintenance");
    agent.findElement(By.id("n-title-ru")).sendKeys("Регламентные работы 28 ноября");
    agent.findElement(By.id("n-body-ru")).sendKeys("С 20:00 до 22:00 портал может быть недоступен.");
    agent.findElement(By.id("n-title-en")).sendKeys("Maintenance on 28 November");
    agent.findElement(By.id("n-body-en")).sendKeys("The portal may be unavailable from 20:00 to 22:00.");
    shot(agent, "console-notice-ru");
    click(agent, By.cssSelector("#notice-form button[type=submit]"));
    waitUntil(() -> text(agent, "#notice-msg").equals("Оповещение опубликовано"), "notice published");
    open(customer, "/t/asmo/#/library");
    waitUntil(() -> text(customer, "#notices").contains("Регламентные работы 28 ноября"), "notice on the customer's news page");
    shot(customer, "portal-news-ru");

    customer.manage().window().setSize(new Dimension(390, 844));
    open(customer, "/t/asmo/#/requests/" + number);
    waitFor(customer, "#request-number");
    Object scrollWidth = ((JavascriptExecutor) customer).executeScript("return document.documentElement.scrollWidth;");
    assertThat(((Number) scrollWidth).intValue()).isLessThanOrEqualTo(400);
    shot(customer, "portal-request-phone-ru");
  }

  @Test
  @Order(6)
  @DisplayName("ЦИК-Алекон's new-request form carries the fields of its Appendix 1 form, and the answers reach the request")
  void cikAlekonRequestFormFollowsTheTenantsForm() throws Exception {
    customer.manage().window().setSize(new Dimension(1280, 900));
    signIn(customer, "cik-alekon", "olga@zavod.example", "customer-password-1");
    click(customer, By.cssSelector("[data-nav=new]"));
    waitFor(customer, "#request-form");
    assertThat(text(customer, "#request-form")).contains("Бланк запроса на оказание услуг технической поддержки")
        .contains("Описание сбоя и текущее описание состояния системы").contains("Периодичность сбоя")
        .contains("Способ оказания технической поддержки (удалённый)");
    customer.findElement(By.id("f-subject")).sendKeys("Сбой обмена с АСУ ТП");
    customer.findElement(By.id("f-description")).sendKeys("Обмен данными остановился ночью.");
    select(customer, "f-kind", "failure");
    customer.findElement(By.id("form-organisation")).sendKeys("АО «Завод»");
    customer.findElement(By.id("form-contact-email")).sendKeys("olga@zavod.example");
    customer.findElement(By.id("form-contact-phones")).sendKeys("+7 (495) 000-00-00");
    ((JavascriptExecutor) customer).executeScript(
        "document.getElementById('form-request-datetime').value = '2026-11-23T09:30';"
        + "document.getElementById('form-first-failure-date').value = '2026-11-22';");
    customer.findElement(By.id("form-system-description")).sendKeys("Сервер обмена, версия 4.2");
    customer.findElement(By.id("form-problem-description")).sendKeys("Очередь сообщений не разбирается");
    customer.findElement(By.id("form-failure-frequency")).sendKeys("постоянно");
    customer.findElement(By.id("form-causing-actions")).sendKeys("обновление ОС");
    select(customer, "form-support-method", "email");
    shot(customer, "portal-new-request-cik-ru");
    click(customer, By.id("new-submit"));
    waitFor(customer, "#request-number");
    String cikNumber = text(customer, "#request-number");
    assertThat(text(customer, "#summary")).contains("Очередь сообщений не разбирается").contains("Периодичность сбоя");

    String token = login("cik-alekon", "olga@zavod.example", "customer-password-1");
    JsonObject form = get("/api/v1/tenants/cik-alekon/requests/" + cikNumber, token).getJsonObject("form");
    assertThat(form.getString("support-method")).isEqualTo("email");
    assertThat(form.getString("first-failure-date")).isEqualTo("2026-11-22");
    assertThat(form.fieldNames()).hasSize(10);

    click(customer, By.cssSelector("[data-nav=new]"));
    click(customer, By.id("lang"));
    waitUntil(() -> text(customer, "#request-form").contains("Technical support request form"), "English form");
    shot(customer, "portal-new-request-cik-en");
  }

  // ---------- helpers (shared with the other browser tests: PortalBrowsers) ----------

  static void open(WebDriver d, String path) {
    portal.open(d, path);
  }

  static void signIn(WebDriver d, String email, String password) {
    signIn(d, "asmo", email, password);
  }

  static void signIn(WebDriver d, String tenant, String email, String password) {
    portal.signIn(d, tenant, email, password);
  }

  // ---------- REST helpers ----------

  static String login(String tenant, String email, String password) throws Exception {
    return portal.login(tenant, email, password);
  }

  static JsonObject post(String path, String token, JsonObject body) throws Exception {
    return portal.post(path, token, body);
  }

  static JsonObject get(String path, String token) throws Exception {
    return portal.get(path, token);
  }
}
