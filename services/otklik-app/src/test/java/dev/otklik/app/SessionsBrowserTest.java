package dev.otklik.app;

import static dev.otklik.app.PortalBrowsers.click;
import static dev.otklik.app.PortalBrowsers.liveConnected;
import static dev.otklik.app.PortalBrowsers.shot;
import static dev.otklik.app.PortalBrowsers.text;
import static dev.otklik.app.PortalBrowsers.waitFor;
import static dev.otklik.app.PortalBrowsers.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Sessions in Debian's headless Chromium on a whole node: an agent signed in on two browsers sees
 * both sessions on the security page and ends the other one; the other browser, idle on its live
 * queue, is signed out by the server's close of its WebSocket (4004) without touching anything.
 * Skipped, naming the missing binary, where Chromium or its driver is not installed.
 */
class SessionsBrowserTest {

  static final String ADMIN_TOKEN = "sessions-browser-admin-token";

  @TempDir static Path work;
  static OtklikNode node;
  static PortalBrowsers portal;
  static WebDriver office;
  static WebDriver home;
  static String missing;

  @BeforeAll
  static void start() throws Exception {
    missing = PortalBrowsers.missing();
    if (missing != null) {
      System.err.println("[SessionsBrowserTest] " + missing);
      return;
    }
    Map<String, String> settings = TestNodes.settings(work, ADMIN_TOKEN);
    node = OtklikNode.start(AppOptions.from(settings));
    portal = new PortalBrowsers("http://127.0.0.1:" + node.httpPort());
    portal.post("/api/v1/admin/tenants/amber-crm/users", ADMIN_TOKEN, new JsonObject().put("email", "olga@amber.example")
        .put("displayName", "Ольга").put("role", "agent").put("password", "agent-password-1"));
    office = PortalBrowsers.browser(work.resolve("chrome-office"));
    home = PortalBrowsers.browser(work.resolve("chrome-home"));
  }

  @BeforeEach
  void skipWithoutChromium() {
    assumeTrue(missing == null, () -> missing);
  }

  @AfterAll
  static void stop() {
    PortalBrowsers.quit(office, home);
    if (node != null) {
      node.stop();
    }
  }

  @Test
  @DisplayName("ending the other session on the security page signs the other browser out through its live socket")
  void endingASessionSignsTheOtherBrowserOut() {
    portal.signIn(home, "amber-crm", "olga@amber.example", "agent-password-1");
    waitFor(home, "#queue");
    waitUntil(() -> liveConnected(home), "the home browser's live connection");

    portal.signIn(office, "amber-crm", "olga@amber.example", "agent-password-1");
    click(office, By.cssSelector("a[href='#/security']"));
    waitUntil(() -> office.findElements(By.cssSelector("#sessions-list li")).size() == 2, "both sessions listed");
    assertThat(office.findElements(By.cssSelector("#sessions-list li[data-current='true']"))).hasSize(1);
    shot(office, "security-sessions-ru");

    click(office, By.cssSelector("#sessions-list li[data-current='false'] button"));
    waitUntil(() -> office.findElements(By.cssSelector("#sessions-list li")).size() == 1, "one session left");
    waitUntil(() -> home.getCurrentUrl().endsWith("#/signin") && !home.findElements(By.id("signin-form")).isEmpty(),
        "the home browser back on the sign-in page");
    assertThat(text(home, "#signin-error")).contains("Сеанс завершён");
    shot(home, "session-ended-signin-ru");
    assertThat(office.findElements(By.id("signout")).get(0).isDisplayed()).as("the office browser goes on").isTrue();
  }
}
