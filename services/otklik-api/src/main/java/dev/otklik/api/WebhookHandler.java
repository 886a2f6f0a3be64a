package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.Permissions;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.store.ListQuery;
import dev.otklik.store.WebhookStore;
import dev.otklik.store.WebhookStore.Endpoint;
import dev.otklik.webhooks.AddressGuard;
import dev.otklik.webhooks.WebhookEvents;
import dev.otklik.webhooks.WebhookMessages;
import dev.otklik.webhooks.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/tenants/:tenantId/webhooks}: the tenant's webhook endpoints (tenant admins only).
 * A URL is checked against the SSRF rules ({@link AddressGuard}) after resolving its host, at
 * registration and again by the dispatcher at every delivery. The secret ({@code whsec_...}) is
 * in the responses of creation and rotation only. Endpoints declared in tenant config are listed
 * here but changed only through the config.
 */
public final class WebhookHandler {

  public static final String BASE = "/api/v1/tenants/:tenantId/webhooks";
  private static final Set<String> KEYS = Set.of("url", "description", "eventTypes", "enabled", "secret");
  private static final Pattern ETAG = Pattern.compile("(?:W/)?\"(\\d{1,9})\"");
  private static final Duration MAX_OVERLAP = Duration.ofDays(7);

  private final Vertx vertx;
  private final WebhookStore store;
  private final AddressGuard guard;

  public WebhookHandler(Vertx vertx, WebhookStore store, boolean allowLoopback) {
    this.vertx = vertx;
    this.store = store;
    this.guard = new AddressGuard(allowLoopback);
  }

  /** {@code POST ...} {@code {"url", "eventTypes", "description"?, "enabled"?, "secret"?}}: 201 with the secret, once. */
  public void create(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    JsonInput in = JsonInput.of(ctx, KEYS);
    String url = in.requiredText("url", 2000);
    List<String> types = eventTypes(in);
    String description = in.text("description", 500);
    boolean enabled = !in.has("enabled") || in.bool("enabled");
    String secret = in.has("secret") ? in.requiredText("secret", 200) : WebhookSigner.newSecret();
    if (!WebhookSigner.isValidSecret(secret)) {
      throw OtklikException.badRequest("webhook.secret-invalid");
    }
    checkUrl(url)
        .compose(ok -> store.createEndpoint(caller.tenantId(),
            new WebhookStore.EndpointDetails(url.strip(), description, types, enabled), secret))
        .onSuccess(e -> {
          ctx.response().putHeader("Location", ctx.request().path() + "/" + e.id())
              .putHeader("ETag", OrganisationHandler.etag(e.version())).putHeader("Cache-Control", "no-store");
          IdempotencyHandler.respond(ctx, 201, json(e).put("secret", secret));
        })
        .onFailure(ctx::fail);
  }

  /** {@code GET ...?offset=&limit=}: every endpoint, oldest first, without secrets. */
  public void list(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    ListQuery query = OrganisationHandler.listQuery(ctx);
    store.listEndpoints(caller.tenantId(), query.offset(), query.limit())
        .onSuccess(page -> HealthHandler.json(ctx, 200, OrganisationHandler.pageJson(query, page, WebhookHandler::json)))
        .onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    found(caller, ctx).onSuccess(e -> {
      ctx.response().putHeader("ETag", OrganisationHandler.etag(e.version()));
      HealthHandler.json(ctx, 200, json(e));
    }).onFailure(ctx::fail);
  }

  /**
   * {@code PATCH .../:webhookId}: fields present replace the current ones; If-Match (optional)
   * guards against lost updates. A config endpoint takes only {@code enabled} (to re-enable it
   * after a 410 or five failing days); the rest follows the tenant file.
   */
  public void update(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    Integer version = ifMatch(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("url", "description", "eventTypes", "enabled"));
    String url = in.has("url") ? in.requiredText("url", 2000) : null;
    List<String> types = in.has("eventTypes") ? eventTypes(in) : null;
    String description = in.text("description", 500);
    boolean enabledGiven = in.has("enabled");
    boolean enabled = in.bool("enabled");
    found(caller, ctx)
        .compose(current -> {
          if ("config".equals(current.source())) {
            // Only switching on and off is the admin's; everything else follows the tenant file.
            if (url != null || types != null || in.has("description") || !enabledGiven) {
              return Future.failedFuture(new OtklikException(409, "webhook.config-managed", current.id()));
            }
            return store.setEnabled(caller.tenantId(), current.id(), version, enabled);
          }
          return (url == null ? Future.<Void>succeededFuture() : checkUrl(url))
              .compose(ok -> store.updateEndpoint(caller.tenantId(), current.id(), version,
                  new WebhookStore.EndpointDetails(url == null ? current.url() : url.strip(),
                      in.has("description") ? description : current.description(),
                      types == null ? current.eventTypes() : types, enabledGiven ? enabled : current.enabled())));
        })
        .compose(updated -> updated.isPresent() ? Future.succeededFuture(updated.get())
            : Future.failedFuture(new OtklikException(412, "webhook.version-conflict", version)))
        .onSuccess(e -> {
          ctx.response().putHeader("ETag", OrganisationHandler.etag(e.version()));
          HealthHandler.json(ctx, 200, json(e));
        })
        .onFailure(ctx::fail);
  }

  public void delete(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    found(caller, ctx)
        .compose(current -> "config".equals(current.source())
            ? Future.failedFuture(new OtklikException(409, "webhook.config-managed", current.id()))
            : store.deleteEndpoint(caller.tenantId(), current.id()))
        .onSuccess(ok -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST .../:webhookId/rotate-secret} {@code {"overlapHours"?}}: a new secret, returned
   * once; the old one keeps signing beside it for the overlap (24 h unless given, at most 7 days).
   */
  public void rotateSecret(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    JsonInput in = ctx.body().length() <= 0 ? null : JsonInput.of(ctx, Set.of("overlapHours"));
    Duration overlap = in != null && in.has("overlapHours") ? Duration.ofHours(in.integer("overlapHours", 0,
        (int) MAX_OVERLAP.toHours())) : Duration.ofHours(24);
    String secret = WebhookSigner.newSecret();
    found(caller, ctx)
        .compose(current -> "config".equals(current.source())
            ? Future.failedFuture(new OtklikException(409, "webhook.config-managed", current.id()))
            : store.rotateSecret(caller.tenantId(), current.id(), secret, overlap))
        .onSuccess(e -> {
          Endpoint rotated = e.orElseThrow();
          ctx.response().putHeader("Cache-Control", "no-store");
          HealthHandler.json(ctx, 200, json(rotated).put("secret", secret));
        })
        .onFailure(ctx::fail);
  }

  /** {@code POST .../:webhookId/test}: queues a {@code webhook.test} message; 202 with its id. */
  public void sendTest(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    found(caller, ctx)
        .compose(e -> store.insertDelivery(caller.tenantId(), e.id(), WebhookMessages.TEST_KIND, new JsonObject()
            .put("tenantId", caller.tenantId()).put("endpointId", e.id().toString()).put("test", true)))
        .onSuccess(id -> HealthHandler.json(ctx, 202, new JsonObject().put("deliveryId", id.toString())))
        .onFailure(ctx::fail);
  }

  /** {@code GET .../:webhookId/deliveries}: the messages, newest first, with state and attempts. */
  public void deliveries(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    ListQuery query = OrganisationHandler.listQuery(ctx);
    found(caller, ctx)
        .compose(e -> store.listDeliveries(caller.tenantId(), e.id(), query.offset(), query.limit()))
        .onSuccess(page -> HealthHandler.json(ctx, 200, OrganisationHandler.pageJson(query, page, j -> j)))
        .onFailure(ctx::fail);
  }

  /** {@code GET .../:webhookId/attempts}: the delivery log (30 days), newest first. */
  public void attempts(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    ListQuery query = OrganisationHandler.listQuery(ctx);
    found(caller, ctx)
        .compose(e -> store.listAttempts(caller.tenantId(), e.id(), query.offset(), query.limit()))
        .onSuccess(page -> HealthHandler.json(ctx, 200, OrganisationHandler.pageJson(query, page, j -> j)))
        .onFailure(ctx::fail);
  }

  /** {@code POST .../:webhookId/deliveries/:deliveryId/redeliver}: the same message again, now. */
  public void redeliver(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    UUID deliveryId = JsonInput.pathId(ctx, "deliveryId", "webhook.delivery-not-found");
    found(caller, ctx)
        .compose(e -> store.redeliver(caller.tenantId(), e.id(), deliveryId))
        .onSuccess(ok -> {
          if (!ok) {
            ctx.fail(OtklikException.notFound("webhook.delivery-not-found", deliveryId));
            return;
          }
          HealthHandler.json(ctx, 202, new JsonObject().put("deliveryId", deliveryId.toString()));
        })
        .onFailure(ctx::fail);
  }

  /** {@code POST .../:webhookId/redeliver} {@code {"from", "to"}}: every finished message created in [from, to) again. */
  public void redeliverRange(RoutingContext ctx) {
    AccessClaims caller = admin(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("from", "to"));
    OffsetDateTime from = JsonInput.required(in.dateTime("from"), "from");
    OffsetDateTime to = JsonInput.required(in.dateTime("to"), "to");
    if (!to.isAfter(from)) {
      throw OtklikException.badRequest("webhook.range-invalid");
    }
    found(caller, ctx)
        .compose(e -> store.redeliverRange(caller.tenantId(), e.id(), from, to))
        .onSuccess(n -> HealthHandler.json(ctx, 202, new JsonObject().put("redelivered", n)))
        .onFailure(ctx::fail);
  }

  // ----------------------------------------------------------------

  private static AccessClaims admin(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    return caller;
  }

  private Future<Endpoint> found(AccessClaims caller, RoutingContext ctx) {
    UUID id = JsonInput.pathId(ctx, "webhookId", "webhook.not-found");
    return store.endpoint(caller.tenantId(), id).compose(e -> e.isPresent() ? Future.succeededFuture(e.get())
        : Future.failedFuture(OtklikException.notFound("webhook.not-found", id)));
  }

  private static List<String> eventTypes(JsonInput in) {
    List<String> types = in.texts("eventTypes", 50, 100);
    if (types.isEmpty()) {
      throw JsonInput.missing("eventTypes");
    }
    for (String t : types) {
      if (!WebhookEvents.isKnown(t)) {
        throw OtklikException.badRequest("webhook.event-type-unknown", t);
      }
    }
    return types.stream().distinct().toList();
  }

  /** Resolves and checks the URL off the event loop; a refusal is a 400 with the guard's reason. */
  private Future<Void> checkUrl(String url) {
    return vertx.executeBlocking(() -> {
      try {
        guard.check(url);
        return null;
      } catch (AddressGuard.Refused r) {
        throw switch (r.code()) {
          case "webhook.url-forbidden" -> OtklikException.badRequest("webhook.url-forbidden", r.getMessage());
          case "webhook.url-unresolvable" -> OtklikException.badRequest("webhook.url-unresolvable", r.getMessage());
          default -> OtklikException.badRequest("webhook.url-invalid", r.getMessage());
        };
      }
    }, false);
  }

  private static Integer ifMatch(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank()) {
      return null;
    }
    Matcher m = ETAG.matcher(header.strip());
    if (!m.matches()) {
      throw new OtklikException(412, "request.if-match-invalid", header.strip());
    }
    return Integer.parseInt(m.group(1));
  }

  static JsonObject json(Endpoint e) {
    return new JsonObject()
        .put("id", e.id().toString())
        .put("url", e.url())
        .put("description", e.description())
        .put("eventTypes", new JsonArray(e.eventTypes()))
        .put("enabled", e.enabled())
        .put("disabledReason", e.disabledReason())
        .put("source", e.source())
        .put("configKey", e.configKey())
        .put("secretEnv", e.secretEnv())
        .put("secretRotating", e.previousSecretUntil() != null
            && e.previousSecretUntil().isAfter(OffsetDateTime.now(e.previousSecretUntil().getOffset())))
        .put("failingSince", e.failingSince() == null ? null : e.failingSince().toInstant().toString())
        .put("lastSuccessAt", e.lastSuccessAt() == null ? null : e.lastSuccessAt().toInstant().toString())
        .put("version", e.version())
        .put("createdAt", e.createdAt().toInstant().toString())
        .put("updatedAt", e.updatedAt().toInstant().toString());
  }
}
