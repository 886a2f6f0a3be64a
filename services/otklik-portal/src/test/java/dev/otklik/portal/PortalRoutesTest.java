package dev.otklik.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.api.TenantSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The page routes and static files on a real HTTP server, with two tenants (one disabled). */
class PortalRoutesTest {

  static Vertx vertx;
  static WebClient client;
  static int port;

  static final TenantSource TENANTS = new TenantSource() {
    final List<JsonObject> configs = List.of(
        new JsonObject().put("id", "asmo").put("enabled", true).put("default-locale", "ru")
            .put("identity", new JsonObject().put("name", new JsonObject().put("ru", "АСМО").put("en", "ASMO")))
            .put("branding", new JsonObject().put("host-names", new JsonArray().add("support.asmo.example"))),
        new JsonObject().put("id", "gone").put("enabled", false));

    @Override public List<JsonObject> configs() { return configs; }
    @Override public Optional<JsonObject> config(String id) {
      return configs.stream().filter(c -> c.getString("id").equals(id)).findFirst();
    }
    @Override public Optional<Path> logo(String tenantId) { return Optional.empty(); }
    @Override public boolean loaded() { return true; }
    @Override public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
  };

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new PortalRoutes(TENANTS).addRoutes(vertx, router);
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404).end("fallback"));
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(ctx.statusCode()).end("failed"));
    port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static HttpResponse<Buffer> get(String path, String host) {
    var request = client.get(port, "127.0.0.1", path).followRedirects(false);
    if (host != null) {
      request.virtualHost(host);
    }
    return request.send().await();
  }

  @Test
  @DisplayName("/t/{tenant}/ serves the boot page with the tenant id, language and name written in")
  void tenantPageBootsTheAppForThatTenant() {
    HttpResponse<Buffer> page = get("/t/asmo/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(page.bodyAsString()).contains("data-tenant=\"asmo\"").contains("<html lang=\"ru\">")
        .contains("<title>АСМО</title>").contains("/portal/app.js");
  }

  @Test
  @DisplayName("/t/{tenant} redirects to the slash form; unknown and disabled tenants are 404")
  void redirectsAndUnknownTenants() {
    HttpResponse<Buffer> redirect = get("/t/asmo", null);
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.getHeader("Location")).isEqualTo("/t/asmo/");
    assertThat(get("/t/nope/", null).statusCode()).isEqualTo(404);
    assertThat(get("/t/gone/", null).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("the ES modules and styles are served from the classpath with JavaScript and CSS types")
  void staticAssets() {
    HttpResponse<Buffer> app = get("/portal/app.js", null);
    assertThat(app.statusCode()).isEqualTo(200);
    assertThat(app.getHeader("Content-Type")).contains("javascript");
    assertThat(app.bodyAsString()).contains("import { STRINGS } from './i18n.js'");
    assertThat(get("/portal/i18n.js", null).statusCode()).isEqualTo(200);
    assertThat(get("/portal/live.js", null).statusCode()).isEqualTo(200);
    assertThat(get("/portal/styles.css", null).getHeader("Content-Type")).contains("text/css");
    assertThat(get("/portal/nope.js", null).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a host name listed in branding.host-names serves that tenant's portal at /")
  void hostNameSelectsTheTenant() {
    HttpResponse<Buffer> page = get("/", "support.asmo.example");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("data-tenant=\"asmo\"");
    assertThat(get("/", "other.example").bodyAsString()).isEqualTo("fallback");
  }
}
