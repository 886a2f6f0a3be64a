package dev.otklik.api.auth;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.core.OtklikException;
import dev.otklik.store.ApiKey;
import dev.otklik.store.ApiKeyStore;
import io.vertx.ext.web.RoutingContext;

/**
 * Guards tenant-scoped routes ({@code /api/v1/tenants/:tenantId/...}): a valid bearer access
 * token is required, and it must be for the tenant in the path. An integration may instead send
 * an API key of that tenant ({@code Authorization: ApiKey <secret>} or {@code X-Api-Key}); it
 * then acts with the key's role, with the key's id as its caller id and no organisation. What
 * the caller may then do is decided by the handler from the principal this puts in the context.
 */
public final class AuthGuard {

  public static final String API_KEY_HEADER = "X-Api-Key";
  private static final String PRINCIPAL = "otklik.principal";
  private static final String API_KEY = "otklik.api-key";

  private final AccessTokens tokens;
  private final ApiKeyStore apiKeys;
  private final SessionRevocations revocations;
  private final java.util.function.Function<String, dev.otklik.core.tenant.SignIn> signIns;

  public AuthGuard(AccessTokens tokens) {
    this(tokens, null, null);
  }

  /**
   * @param apiKeys     where API keys are checked; null accepts bearer tokens only
   * @param revocations sessions ended on any node; null when nothing is ever revoked (tests)
   */
  public AuthGuard(AccessTokens tokens, ApiKeyStore apiKeys, SessionRevocations revocations) {
    this(tokens, apiKeys, revocations, null);
  }

  /**
   * @param signIns the tenant's {@code sign-in:} rules; with them a password-only token (amr
   *                {@code pwd} without {@code otp}/{@code mfa}) is refused with 403
   *                {@code auth.two-factor-required} for a role the tenant requires a second factor
   *                of, and with 403 {@code auth.password-disabled} where the tenant turned passwords
   *                off: tokens issued before the tenant changed its rules stop working at once.
   *                API keys and tokens without {@code pwd} (single sign-on) are not affected.
   */
  public AuthGuard(AccessTokens tokens, ApiKeyStore apiKeys, SessionRevocations revocations,
      java.util.function.Function<String, dev.otklik.core.tenant.SignIn> signIns) {
    this.tokens = tokens;
    this.apiKeys = apiKeys;
    this.revocations = revocations;
    this.signIns = signIns;
  }

  public void requireTenantUser(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String apiKey = apiKeySecret(ctx, header);
    if (apiKey != null && apiKeys != null) {
      requireApiKey(ctx, apiKey);
      return;
    }
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
          if (revocations != null && revocations.isRevoked(claims.sessionId())) {
            ctx.fail(new OtklikException(401, "auth.session-revoked"));
            return;
          }
          OtklikException signInRefused = signInRefused(claims);
          if (signInRefused != null) {
            ctx.fail(signInRefused);
            return;
          }
          ctx.put(PRINCIPAL, claims);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  /** A password session the tenant's current rules no longer accept, or null. */
  private OtklikException signInRefused(AccessClaims claims) {
    return signIns == null || !claims.amr().contains("pwd") ? null
        : TwoFactorSignIn.refusal(signIns.apply(claims.tenantId()), claims.role(), claims.amr());
  }

  /** Looked up in the path's tenant only: a key of another tenant is simply unknown there. */
  private void requireApiKey(RoutingContext ctx, String secret) {
    String tenantId = ctx.pathParam("tenantId");
    apiKeys.authenticate(tenantId, secret)
        .onSuccess(key -> {
          if (key.isEmpty()) {
            ctx.fail(new OtklikException(401, "auth.api-key-invalid"));
            return;
          }
          ctx.put(API_KEY, key.get());
          ctx.put(PRINCIPAL, new AccessClaims(tenantId, key.get().id(), key.get().role(), null));
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  private static String apiKeySecret(RoutingContext ctx, String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "ApiKey ", 0, 7)) {
      return authorization.substring(7).strip();
    }
    String header = ctx.request().getHeader(API_KEY_HEADER);
    return header == null || header.isBlank() ? null : header.strip();
  }

  /** Who acts on platform-admin routes: not a person of the tenant, so no account id. */
  public static final java.util.UUID PLATFORM_ADMIN = new java.util.UUID(0L, 0L);

  /**
   * For platform-admin routes (already behind the admin token): act as the path tenant's
   * administrator. This is how a new tenant gets its first admin account.
   */
  public static void asPlatformAdmin(RoutingContext ctx) {
    ctx.put(PRINCIPAL, new AccessClaims(ctx.pathParam("tenantId"), PLATFORM_ADMIN,
        dev.otklik.core.auth.Role.TENANT_ADMIN, null));
    ctx.next();
  }

  /** The caller, as established by {@link #requireTenantUser}. */
  public static AccessClaims principal(RoutingContext ctx) {
    AccessClaims claims = ctx.get(PRINCIPAL);
    if (claims == null) {
      throw new IllegalStateException("route " + ctx.request().path() + " is not behind the auth guard");
    }
    return claims;
  }

  /** The API key the caller authenticated with, or null for a signed-in person. */
  public static ApiKey apiKey(RoutingContext ctx) {
    return ctx.get(API_KEY);
  }
}
