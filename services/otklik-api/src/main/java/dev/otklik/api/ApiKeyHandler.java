package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.Permissions;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.store.ApiKey;
import dev.otklik.store.ApiKeyStore;
import dev.otklik.store.ListQuery;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/tenants/:tenantId/api-keys}: keys for the tenant's own tools, managed by tenant
 * admins. The secret is in the creation response only; it is sent back as
 * {@code Authorization: ApiKey <secret>} or {@code X-Api-Key: <secret>}.
 */
public final class ApiKeyHandler {

  private static final int MAX_NAME = 200;

  private final ApiKeyStore keys;

  public ApiKeyHandler(ApiKeyStore keys) {
    this.keys = keys;
  }

  /** {@code POST ...} body {@code {"name", "role"}} (role agent by default): 201 with the secret, once. */
  public void create(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    JsonInput in = JsonInput.of(ctx, Set.of("name", "role"));
    String name = in.requiredText("name", MAX_NAME);
    Role role = Objects.requireNonNullElse(in.code("role", Role.values(), Role::code), Role.AGENT);
    keys.create(caller.tenantId(), name, role, caller.userId())
        .onSuccess(issued -> {
          ctx.response().putHeader("Location", ctx.request().path() + "/" + issued.key().id())
              .putHeader("Cache-Control", "no-store");
          IdempotencyHandler.respond(ctx, 201, json(issued.key()).put("secret", issued.secret()));
        })
        .onFailure(ctx::fail);
  }

  /** {@code GET ...?offset=&limit=}: live and revoked keys, newest first, without secrets. */
  public void list(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    ListQuery query = OrganisationHandler.listQuery(ctx);
    keys.list(caller.tenantId(), query.offset(), query.limit())
        .onSuccess(page -> HealthHandler.json(ctx, 200, OrganisationHandler.pageJson(query, page, ApiKeyHandler::json)))
        .onFailure(ctx::fail);
  }

  /** {@code POST .../:keyId/revoke}: the key stops working at once, on every node. */
  public void revoke(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    UUID id = JsonInput.pathId(ctx, "keyId", "api-key.not-found");
    keys.revoke(caller.tenantId(), id)
        .onSuccess(key -> {
          if (key.isEmpty()) {
            ctx.fail(OtklikException.notFound("api-key.not-found", id));
            return;
          }
          HealthHandler.json(ctx, 200, json(key.get()));
        })
        .onFailure(ctx::fail);
  }

  static JsonObject json(ApiKey key) {
    return new JsonObject()
        .put("id", key.id().toString())
        .put("name", key.name())
        .put("keyPrefix", key.keyPrefix())
        .put("role", key.role().code())
        .put("createdBy", key.createdBy() == null ? null : key.createdBy().toString())
        .put("createdAt", key.createdAt().toInstant().toString())
        .put("revokedAt", key.revokedAt() == null ? null : key.revokedAt().toInstant().toString());
  }
}
