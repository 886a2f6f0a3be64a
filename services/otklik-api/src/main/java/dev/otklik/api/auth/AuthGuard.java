package dev.otklik.api.auth;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.core.OtklikException;
import io.vertx.ext.web.RoutingContext;

/**
 * Guards tenant-scoped routes ({@code /api/v1/tenants/:tenantId/...}): a valid bearer access
 * token is required, and it must be for the tenant in the path. What the caller may then do is
 * decided by the handler from the principal this puts in the context.
 */
public final class AuthGuard {

  private static final String PRINCIPAL = "otklik.principal";

  private final AccessTokens tokens;

  public AuthGuard(AccessTokens tokens) {
    this.tokens = tokens;
  }

  public void requireTenantUser(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(new OtklikException(401, "auth.required"));
      return;
    }
    String tenantId = ctx.pathParam("tenantId");
    tokens.verify(header.substring(7).strip())
        .onSuccess(claims -> {
          if (!claims.tenantId().equals(tenantId)) {
            // A token of one tenant never opens another's routes, whatever its role.
            ctx.fail(new OtklikException(403, "auth.wrong-tenant"));
            return;
          }
          ctx.put(PRINCIPAL, claims);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  /** The caller, as established by {@link #requireTenantUser}. */
  public static AccessClaims principal(RoutingContext ctx) {
    AccessClaims claims = ctx.get(PRINCIPAL);
    if (claims == null) {
      throw new IllegalStateException("route " + ctx.request().path() + " is not behind the auth guard");
    }
    return claims;
  }
}
