package dev.otklik.api;

import dev.otklik.core.OtklikException;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Platform-admin calls. Until accounts exist they are guarded by one bearer token from config;
 * without a token configured they are refused outright rather than left open.
 */
public final class AdminHandler {

  private final TenantSource tenants;
  private final byte[] adminToken;

  public AdminHandler(TenantSource tenants, String adminToken) {
    this.tenants = tenants;
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /** Guards every admin route. */
  public void requireAdmin(RoutingContext ctx) {
    if (adminToken == null) {
      throw OtklikException.forbidden("admin.disabled");
    }
    String header = ctx.request().getHeader("Authorization");
    byte[] given = header != null && header.startsWith("Bearer ")
        ? header.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(given, adminToken)) {
      throw new OtklikException(401, "auth.required");
    }
    ctx.next();
  }

  /** {@code POST /api/v1/admin/tenants/reload}: 200 with the report, 422 if files were refused. */
  public void reloadTenants(RoutingContext ctx) {
    tenants.reload()
        .onSuccess(report -> HealthHandler.json(ctx,
            report.getJsonArray("refused", new io.vertx.core.json.JsonArray()).isEmpty() ? 200 : 422, report))
        .onFailure(ctx::fail);
  }
}
