package dev.otklik.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * What the browser tests share: Debian's headless Chromium driven through {@code /usr/bin/chromedriver}
 * (never a downloaded browser or driver; a missing binary is named so the tests can skip with it),
 * waiting on the portal's pages, screenshots into {@code target/screenshots}, and the REST calls that
 * prepare a desk and check what the pages did ({@link #PortalBrowsers(String) per node}).
 */
final class PortalBrowsers {

  // Overridable (-Dotklik.test.chromium=..., -Dotklik.test.chromedriver=...), e.g. to check the skip.
  static final Path CHROMIUM = Path.of(System.getProperty("otklik.test.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("otklik.test.chromedriver", "/usr/bin/chromedriver"));
  static final Path SHOTS = Path.of("target", "screenshots");
  static final Duration WAIT = Duration.ofSeconds(20);
  /** HTTP/1.1 with a connect timeout: a lost answer must not hang the build. */
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** The node's base URL, e.g. {@code http://127.0.0.1:41234}. */
  final String base;

  PortalBrowsers(String base) {
    this.base = base;
  }

  /** Why the browser tests cannot run here, or null. */
  static String missing() {
    return !Files.isExecutable(CHROMIUM)
        ? "Browser tests skipped: " + CHROMIUM + " is missing (apt-get install chromium)"
        : !Files.isExecutable(CHROMEDRIVER)
            ? "Browser tests skipped: " + CHROMEDRIVER + " is missing (apt-get install chromium-driver)"
            : null;
  }

  static WebDriver browser(Path profile) throws Exception {
    Files.createDirectories(profile);
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=ru-RU", "--user-data-dir=" + profile);
    // The explicit driver executable keeps Selenium Manager from looking for (or downloading) one.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  static void quit(WebDriver... drivers) {
    for (WebDriver d : drivers) {
      if (d != null) {
        try {
          d.quit();
        } catch (RuntimeException e) {
          // already gone
        }
      }
    }
  }

  // ---------- pages ----------

  void open(WebDriver d, String path) {
    d.get(base + path);
    if (path.contains("#")) {
      d.navigate().refresh();   // a hash-only change does not reload; make the page boot fresh
    }
    waitUntil(() -> "true".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.ready || null;")),
        "portal booted at " + path);
  }

  void signIn(WebDriver d, String tenant, String email, String password) {
    if (!d.getCurrentUrl().contains("/t/" + tenant + "/#/signin")) {
      open(d, "/t/" + tenant + "/#/signin");
    }
    waitFor(d, "#signin-form");
    d.findElement(By.id("email")).sendKeys(email);
    d.findElement(By.id("password")).sendKeys(password);
    click(d, By.id("signin-submit"));
    waitUntil(() -> !d.findElements(By.id("signout")).isEmpty() && d.findElement(By.id("signout")).isDisplayed(),
        "signed in as " + email);
  }

  static boolean liveConnected(WebDriver d) {
    return !d.findElements(By.cssSelector("#live-state[data-connected='true']")).isEmpty();
  }

  static String statusOf(WebDriver d) {
    List<WebElement> s = d.findElements(By.cssSelector("#summary .status"));
    return s.isEmpty() ? "" : s.get(0).getAttribute("data-status");
  }

  static void select(WebDriver d, String id, String value) {
    ((JavascriptExecutor) d).executeScript(
        "const s = document.getElementById(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change'));", id, value);
  }

  static String text(WebDriver d, String css) {
    return waitFor(d, css).getText();
  }

  static WebElement waitFor(WebDriver d, String css) {
    WebElement[] found = new WebElement[1];
    waitUntil(() -> {
      List<WebElement> all = d.findElements(By.cssSelector(css));
      found[0] = all.isEmpty() ? null : all.get(0);
      return found[0] != null;
    }, css);
    return found[0];
  }

  /** Clicks the element, finding it again when a live update re-rendered it in between. */
  static void click(WebDriver d, By by) {
    waitUntil(() -> {
      d.findElement(by).click();
      return true;
    }, "click on " + by);
  }

  static void waitUntil(Supplier<Boolean> condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (StaleElementReferenceException | NoSuchElementException e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what, last);
  }

  /** A screenshot of the whole page: the window grows to the page's height (at most 2400 px) for the shot. */
  static void shot(WebDriver d, String name) {
    try {
      JavascriptExecutor js = (JavascriptExecutor) d;
      js.executeScript("if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0);");
      Dimension size = d.manage().window().getSize();
      long height = ((Number) js.executeScript("return document.documentElement.scrollHeight;")).longValue();
      d.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.min(2400, Math.max(size.getHeight(), height + 20))));
      Thread.sleep(400);   // let the layout and the last highlight settle
      File png = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
      Files.createDirectories(SHOTS);
      Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      d.manage().window().setSize(size);
    } catch (Exception e) {
      throw new AssertionError("screenshot " + name, e);
    }
  }

  // ---------- REST ----------

  String login(String tenant, String email, String password) throws Exception {
    return post("/api/v1/tenants/" + tenant + "/auth/login", null,
        new JsonObject().put("email", email).put("password", password)).getString("accessToken");
  }

  JsonObject post(String path, String token, JsonObject body) throws Exception {
    return call("POST", path, token, body);
  }

  JsonObject put(String path, String token, JsonObject body) throws Exception {
    return call("PUT", path, token, body);
  }

  private JsonObject call(String method, String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = send(b.build());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
    return new JsonObject(r.body());
  }

  JsonObject get(String path, String token) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .GET().build());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
