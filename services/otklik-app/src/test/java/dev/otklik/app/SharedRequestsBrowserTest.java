package dev.otklik.app;

import static dev.otklik.app.PortalBrowsers.click;
import static dev.otklik.app.PortalBrowsers.liveConnected;
import static dev.otklik.app.PortalBrowsers.select;
import static dev.otklik.app.PortalBrowsers.shot;
import static dev.otklik.app.PortalBrowsers.text;
import static dev.otklik.app.PortalBrowsers.waitFor;
import static dev.otklik.app.PortalBrowsers.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Shared requests (issue 10) in Debian's headless Chromium, on a whole node in this JVM: a customer of
 * two organisations files a request for the second one (picked on the form) and adds a colleague as a
 * watcher; the colleague, signed in in a second browser, sees the request arrive and change live,
 * without a reload. Screenshots go to {@code target/screenshots}. Skipped, naming the missing binary,
 * where Chromium or its driver is not installed (see {@link PortalBrowsers}).
 */
class SharedRequestsBrowserTest {

  static final String ADMIN_TOKEN = "shared-requests-admin-token";

  @TempDir static Path work;
  static OtklikNode node;
  static PortalBrowsers portal;
  static WebDriver anna;
  static WebDriver boris;
  static String hospital;
  static String laboratory;
  static String borisId;
  static String missing;

  @BeforeAll
  static void start() throws Exception {
    missing = PortalBrowsers.missing();
    if (missing != null) {
      System.err.println("[SharedRequestsBrowserTest] " + missing);
      return;   // the test is then skipped by the assumption in skipWithoutChromium, with this message
    }
    Map<String, String> settings = TestNodes.settings(work, ADMIN_TOKEN);
    node = OtklikNode.start(AppOptions.from(settings));
    portal = new PortalBrowsers("http://127.0.0.1:" + node.httpPort());

    String t = "/api/v1/tenants/asmo";
    portal.post("/api/v1/admin/tenants/asmo/users", ADMIN_TOKEN, new JsonObject().put("email", "admin@inform.example")
        .put("displayName", "Администратор").put("role", "tenant_admin").put("password", "admin-password-1"));
    String admin = portal.login("asmo", "admin@inform.example", "admin-password-1");
    hospital = portal.post(t + "/organisations", admin, new JsonObject().put("name", "ГБУЗ «Областная больница»"))
        .getString("id");
    laboratory = portal.post(t + "/organisations", admin, new JsonObject().put("name", "ООО «Городская лаборатория»"))
        .getString("id");
    String annaId = portal.post(t + "/users", admin, new JsonObject().put("email", "anna@hospital.example")
        .put("displayName", "Анна Смирнова").put("role", "customer").put("organisationId", hospital)
        .put("password", "customer-password-1")).getString("id");
    // Anna also works for the laboratory; the hospital stays her primary organisation
    portal.put(t + "/users/" + annaId + "/organisations", admin, new JsonObject()
        .put("organisationIds", new JsonArray().add(hospital).add(laboratory)));
    borisId = portal.post(t + "/users", admin, new JsonObject().put("email", "boris@lab.example")
        .put("displayName", "Борис Орлов").put("role", "customer").put("organisationId", laboratory)
        .put("password", "customer-password-2")).getString("id");
    portal.post(t + "/users", admin, new JsonObject().put("email", "ivan@inform.example").put("displayName", "Иван")
        .put("role", "agent").put("password", "agent-password-1"));

    anna = PortalBrowsers.browser(work.resolve("chrome-anna"));
    boris = PortalBrowsers.browser(work.resolve("chrome-boris"));
  }

  @BeforeEach
  void skipWithoutChromium() {
    assumeTrue(missing == null, () -> missing);
  }

  @AfterAll
  static void stop() {
    PortalBrowsers.quit(anna, boris);
    if (node != null) {
      node.stop();
    }
  }

  @Test
  @DisplayName("a customer of two organisations files for the second one and adds a colleague as watcher, who sees the request arrive and change live")
  void customerFilesForSecondOrganisationAndWatcherSeesItLive() throws Exception {
    // Boris (the laboratory) waits on his list, live
    portal.signIn(boris, "asmo", "boris@lab.example", "customer-password-2");
    waitFor(boris, "#requests");
    waitUntil(() -> liveConnected(boris), "Boris's live connection");
    js(boris).executeScript("window.__noReload = 'boris';");

    // Anna files for the laboratory, picked on the form (the hospital, her primary, is the default)
    portal.signIn(anna, "asmo", "anna@hospital.example", "customer-password-1");
    waitFor(anna, "#requests");
    click(anna, By.cssSelector("[data-nav=new]"));
    waitFor(anna, "#new-request");
    WebElement picker = waitFor(anna, "#f-organisation");
    assertThat(picker.getAttribute("value")).isEqualTo(hospital);
    assertThat(text(anna, "#new-request")).contains("Организация");
    assertThat(picker.findElements(By.tagName("option"))).extracting(WebElement::getText)
        .containsExactly("ГБУЗ «Областная больница»", "ООО «Городская лаборатория»");
    select(anna, "f-organisation", laboratory);
    anna.findElement(By.id("f-subject")).sendKeys("Анализатор не выгружает результаты");
    anna.findElement(By.id("f-description")).sendKeys("С утра результаты с анализатора не попадают в карты.");
    select(anna, "f-service", "error-fixing");
    select(anna, "f-priority", "high");
    js(anna).executeScript("document.getElementById('form-expected-resolution-date').value = '2026-12-15';");
    shot(anna, "shared-new-request-organisation-ru");
    click(anna, By.id("new-submit"));
    waitFor(anna, "#request-number");
    String number = text(anna, "#request-number");
    assertThat(text(anna, "#summary")).contains("ООО «Городская лаборатория»");

    // it is the laboratory's request: it appears in Boris's list without a reload
    waitUntil(() -> !boris.findElements(By.cssSelector("#request-rows tr[data-number='" + number + "']")).isEmpty(),
        "the laboratory's new request in Boris's list");
    assertThat(js(boris).executeScript("return window.__noReload;")).isEqualTo("boris");

    // Anna adds Boris as a watcher
    waitUntil(() -> anna.findElement(By.id("watcher-form")).isDisplayed(), "the add-watcher form");
    assertThat(text(anna, "#watchers")).contains("Наблюдатели").contains("Наблюдателей нет.");
    select(anna, "watcher-pick", borisId);
    click(anna, By.id("watcher-add"));
    waitUntil(() -> !anna.findElements(By.cssSelector("#watcher-list li[data-watcher='" + borisId + "']")).isEmpty(),
        "Boris among the watchers");
    assertThat(text(anna, "#watcher-list")).contains("Борис Орлов");
    waitUntil(() -> text(anna, "#history").contains("Добавлен наблюдатель: Борис Орлов"), "the watcher in the history");
    shot(anna, "shared-request-watchers-ru");

    // Boris opens it; then Anna writes and support answers: his page shows both without a reload
    click(boris, By.cssSelector("#request-rows a[href='#/requests/" + number + "']"));
    waitUntil(() -> boris.findElements(By.id("request-number")).stream().anyMatch(e -> e.getText().equals(number)),
        "the request page in Boris's browser");
    waitUntil(() -> text(boris, "#watcher-list").contains("Борис Орлов"), "Boris sees himself watching");
    js(boris).executeScript("window.__noReload = 'boris-request';");
    anna.findElement(By.id("comment-body")).sendKeys("Прикладываю журнал анализатора за вчера.");
    click(anna, By.id("comment-send"));
    waitUntil(() -> text(boris, "#comments").contains("журнал анализатора"), "Anna's comment on Boris's page, live");
    String agent = portal.login("asmo", "ivan@inform.example", "agent-password-1");
    portal.post("/api/v1/tenants/asmo/requests/" + number + "/comments", agent,
        new JsonObject().put("body", "Перезапустили службу выгрузки, проверьте."));
    waitUntil(() -> text(boris, "#comments").contains("Перезапустили службу"), "support's answer on Boris's page, live");
    assertThat(js(boris).executeScript("return window.__noReload;")).isEqualTo("boris-request");
    shot(boris, "shared-watcher-live-ru");

    // and over REST: the laboratory's request, with Boris watching it
    JsonObject request = portal.get("/api/v1/tenants/asmo/requests/" + number, agent);
    assertThat(request.getString("organisationId")).isEqualTo(laboratory);
    assertThat(request.getJsonArray("watchers")).extracting(w -> ((JsonObject) w).getString("id"))
        .containsExactly(borisId);
    String borisToken = portal.login("asmo", "boris@lab.example", "customer-password-2");
    List<Object> watching = portal.get("/api/v1/tenants/asmo/requests?watching=true", borisToken)
        .getJsonArray("items").getList();
    assertThat(watching).hasSize(1);
    assertThat(portal.get("/api/v1/tenants/asmo/requests?watching=true", borisToken).getJsonArray("items")
        .getJsonObject(0).getString("number")).isEqualTo(number);
  }

  private static JavascriptExecutor js(WebDriver d) {
    return (JavascriptExecutor) d;
  }
}
