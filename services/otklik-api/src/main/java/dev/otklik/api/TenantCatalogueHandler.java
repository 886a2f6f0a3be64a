package dev.otklik.api;

import dev.otklik.core.OtklikException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;

/**
 * The public tenant catalogue: which vendors run on this node, their services, contacts, hours
 * and SLA tables. No sign-in needed: the portal's front page and vendors' sites read it.
 */
public final class TenantCatalogueHandler {

  private final TenantSource tenants;

  public TenantCatalogueHandler(TenantSource tenants) {
    this.tenants = tenants;
  }

  /** {@code GET /api/v1/tenants?offset=&limit=}: enabled tenants, ordered by id. */
  public void list(RoutingContext ctx) {
    int offset = Paging.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = Paging.intParam(ctx, "limit", 100, 1, 500);
    List<JsonObject> enabled = tenants.configs().stream()
        .filter(c -> c.getBoolean("enabled", true))
        .sorted(Comparator.comparing(c -> c.getString("id")))
        .toList();
    JsonArray items = new JsonArray();
    enabled.stream().skip(offset).limit(limit).map(PublicTenantView::summary).forEach(items::add);
    HealthHandler.json(ctx, 200, new JsonObject()
        .put("items", items)
        .put("total", enabled.size())
        .put("offset", offset)
        .put("limit", limit));
  }

  /** {@code GET /api/v1/tenants/:tenantId}: the full public view of one enabled tenant. */
  public void get(RoutingContext ctx) {
    HealthHandler.json(ctx, 200, PublicTenantView.of(enabledTenant(ctx.pathParam("tenantId"))));
  }

  /** {@code GET /api/v1/tenants/:tenantId/logo}: the logo file named in the tenant's branding. */
  public void logo(RoutingContext ctx) {
    String id = enabledTenant(ctx.pathParam("tenantId")).getString("id");
    var file = tenants.logo(id).orElseThrow(() -> OtklikException.notFound("route.not-found"));
    String name = file.getFileName().toString();
    ctx.response()
        .putHeader("Content-Type", name.endsWith(".svg") ? "image/svg+xml" : "application/octet-stream")
        .putHeader("Cache-Control", "public, max-age=300")
        .sendFile(file.toString())
        .onFailure(missing -> {
          if (!ctx.response().headWritten()) {
            ctx.fail(OtklikException.notFound("route.not-found"));
          }
        });
  }

  /** Guards tenant-scoped routes: 404 {@code tenant.not-found} unless the tenant is loaded and enabled. */
  public void requireEnabled(RoutingContext ctx) {
    enabledTenant(ctx.pathParam("tenantId"));
    ctx.next();
  }

  private JsonObject enabledTenant(String id) {
    return tenants.config(id)
        .filter(c -> c.getBoolean("enabled", true))
        .orElseThrow(() -> OtklikException.notFound("tenant.not-found", id));
  }
}
