package dev.otklik.portal;

import dev.otklik.api.RouteContributor;
import dev.otklik.api.TenantSource;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The customer portal and agent console on the node's HTTP server.
 *
 * <ul>
 *   <li>{@code GET /portal/*}: the static ES modules, styles and icons from the classpath
 *       ({@code otklik-portal/}); the same files serve every tenant.</li>
 *   <li>{@code GET /t/{tenant}/}: the page that boots the single-page app for one tenant (its id is
 *       written into the page; everything else comes from the public REST view). {@code /t/{tenant}}
 *       redirects to the slash form. An unknown or disabled tenant is a 404 problem.</li>
 *   <li>{@code GET /} on a host name a tenant lists in {@code branding.host-names}: that tenant's page.</li>
 * </ul>
 * Mounted like the realtime gateway: passed to {@code HttpServerVerticle} as a {@link RouteContributor}.
 */
public final class PortalRoutes implements RouteContributor {

  /** Classpath folder of the static files. */
  public static final String WEB_ROOT = "otklik-portal";
  public static final String ASSETS = "/portal";
  private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final TenantSource tenants;
  private final String indexTemplate;

  public PortalRoutes(TenantSource tenants) {
    this.tenants = tenants;
    this.indexTemplate = resource(WEB_ROOT + "/index.html");
  }

  @Override
  public void addRoutes(Vertx vertx, Router router) {
    router.get(ASSETS + "/*").handler(StaticHandler.create(WEB_ROOT)
        .setDefaultContentEncoding("UTF-8")
        .setMaxAgeSeconds(60)
        .setDirectoryListing(false));
    router.getWithRegex("/t/([a-z0-9][a-z0-9-]*)").handler(ctx ->
        ctx.redirect(ctx.request().path() + "/"));
    router.getWithRegex("/t/([a-z0-9][a-z0-9-]*)/").handler(ctx -> page(ctx, ctx.pathParam("param0")));
    router.get("/").handler(this::byHostName);
  }

  private void byHostName(RoutingContext ctx) {
    String authority = ctx.request().authority() == null ? null : ctx.request().authority().host();
    Optional<String> tenant = authority == null ? Optional.empty() : tenantForHost(authority);
    if (tenant.isPresent()) {
      page(ctx, tenant.get());
    } else {
      ctx.next();
    }
  }

  /** The tenant whose {@code branding.host-names} lists this host (case-insensitive). */
  Optional<String> tenantForHost(String host) {
    String wanted = host.toLowerCase(Locale.ROOT);
    for (JsonObject config : tenants.configs()) {
      JsonObject branding = config.getJsonObject("branding", new JsonObject());
      JsonArray names = branding.getJsonArray("host-names", new JsonArray());
      for (Object name : names) {
        if (wanted.equals(String.valueOf(name).toLowerCase(Locale.ROOT)) && config.getBoolean("enabled", true)) {
          return Optional.of(config.getString("id"));
        }
      }
    }
    return Optional.empty();
  }

  private void page(RoutingContext ctx, String tenantId) {
    if (!TENANT_ID.matcher(tenantId).matches()) {
      ctx.fail(404);
      return;
    }
    Optional<JsonObject> config = tenants.config(tenantId).filter(c -> c.getBoolean("enabled", true));
    if (config.isEmpty()) {
      ctx.fail(404);
      return;
    }
    JsonObject name = config.get().getJsonObject("identity", new JsonObject()).getJsonObject("name", new JsonObject());
    String lang = config.get().getString("default-locale", "ru");
    String title = name.getString(lang, tenantId);
    String html = indexTemplate
        .replace("{{tenant}}", tenantId)
        .replace("{{lang}}", escape(lang))
        .replace("{{title}}", escape(title));
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self' ws: wss:; frame-ancestors 'none'")
        .end(html);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String resource(String path) {
    try (InputStream in = PortalRoutes.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
