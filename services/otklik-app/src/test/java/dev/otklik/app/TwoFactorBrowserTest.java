package dev.otklik.app;

import static dev.otklik.app.PortalBrowsers.click;
import static dev.otklik.app.PortalBrowsers.shot;
import static dev.otklik.app.PortalBrowsers.text;
import static dev.otklik.app.PortalBrowsers.waitFor;
import static dev.otklik.app.PortalBrowsers.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otklik.core.auth.Base32;
import dev.otklik.core.auth.Totp;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Two-factor sign-in in Debian's headless Chromium on a whole node in this JVM. АСМО's file (a copy)
 * requires a second factor for agents: the agent's password leads to setting up an authenticator on
 * the sign-in page (QR code, key, code), the recovery codes are shown once, and the next sign-in
 * asks for a code, here a recovery code. Screenshots go to {@code target/screenshots}. Skipped,
 * naming the missing binary, where Chromium or its driver is not installed (see {@link PortalBrowsers}).
 */
class TwoFactorBrowserTest {

  static final String ADMIN_TOKEN = "two-factor-admin-token";

  @TempDir static Path work;
  static OtklikNode node;
  static PortalBrowsers portal;
  static WebDriver browser;
  static String missing;

  @BeforeAll
  static void start() throws Exception {
    missing = PortalBrowsers.missing();
    if (missing != null) {
      System.err.println("[TwoFactorBrowserTest] " + missing);
      return;   // the test is then skipped by the assumption in skipWithoutChromium, with this message
    }
    Path tenants = TestTenantConfig.copyTo(work.resolve("tenant-config"));
    Files.writeString(tenants.resolve("asmo.yaml"),
        "\nsign-in:\n  password: [staff, customers]\n  two-factor-required-for: [agent]\n",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Map<String, String> settings = TestNodes.settings(work, ADMIN_TOKEN, tenants);
    node = OtklikNode.start(AppOptions.from(settings));
    portal = new PortalBrowsers("http://127.0.0.1:" + node.httpPort());

    portal.post("/api/v1/admin/tenants/asmo/users", ADMIN_TOKEN, new JsonObject().put("email", "admin@inform.example")
        .put("displayName", "Администратор").put("role", "tenant_admin").put("password", "admin-password-1"));
    String admin = portal.login("asmo", "admin@inform.example", "admin-password-1");
    portal.post("/api/v1/tenants/asmo/users", admin, new JsonObject().put("email", "ivan@inform.example")
        .put("displayName", "Иван").put("role", "agent").put("password", "agent-password-1"));
    browser = PortalBrowsers.browser(work.resolve("chrome-agent"));
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

  @Test
  @DisplayName("an agent who must use 2FA sets up the app while signing in, gets the recovery codes once, and next time signs in with one")
  void agentEnrolsWhileSigningInThenUsesARecoveryCode() {
    portal.open(browser, "/t/asmo/#/signin");
    waitFor(browser, "#signin-form");
    browser.findElement(By.id("email")).sendKeys("ivan@inform.example");
    browser.findElement(By.id("password")).sendKeys("agent-password-1");
    click(browser, By.id("signin-submit"));

    waitFor(browser, "#tf-enrol-form");
    assertThat(text(browser, "#tf-required")).contains("требует двухфакторный вход");
    assertThat(browser.findElements(By.cssSelector("#tf-qr svg path"))).hasSize(1);
    assertThat(browser.findElement(By.id("signout")).isDisplayed()).as("not signed in yet").isFalse();
    byte[] secret = Base32.decode(text(browser, "#tf-secret"));
    shot(browser, "two-factor-enrol-ru");
    browser.findElement(By.id("tf-enrol-code")).sendKeys(Totp.standard().codeAt(secret, Instant.now()));
    click(browser, By.id("tf-enrol-submit"));

    waitFor(browser, "#tf-recovery-codes");
    List<WebElement> codes = browser.findElements(By.cssSelector("#tf-recovery-codes li"));
    assertThat(codes).hasSize(10);
    String recovery = codes.get(0).getText().strip();
    shot(browser, "two-factor-recovery-codes-ru");
    click(browser, By.id("tf-recovery-done"));
    waitUntil(() -> browser.findElement(By.id("signout")).isDisplayed(), "signed in after enrolment");
    waitFor(browser, "[data-nav=security]");

    click(browser, By.cssSelector("[data-nav=security]"));
    waitFor(browser, "#tf-status[data-enabled='true']");
    assertThat(browser.findElements(By.id("tf-off-form"))).as("required: no switching off").isEmpty();
    click(browser, By.id("signout"));

    portal.open(browser, "/t/asmo/#/signin");
    waitFor(browser, "#signin-form");
    browser.findElement(By.id("email")).sendKeys("ivan@inform.example");
    browser.findElement(By.id("password")).sendKeys("agent-password-1");
    click(browser, By.id("signin-submit"));
    waitFor(browser, "#tf-form");
    shot(browser, "two-factor-code-ru");
    click(browser, By.id("tf-recovery-toggle"));
    browser.findElement(By.id("tf-code")).sendKeys(recovery);
    click(browser, By.id("tf-submit"));
    waitUntil(() -> browser.findElement(By.id("signout")).isDisplayed(), "signed in with a recovery code");
    waitFor(browser, "#queue, #queue-rows, [data-nav=queue]");
  }
}
