package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.mail.intake.MailIntake;
import dev.otklik.store.MailStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/**
 * Mail under {@code /api/v1/tenants/:tenantId/mail}: the raw-MIME intake an MTA posts to, the
 * inbound log with its quarantine (list, download, retry), and a person's mail preferences.
 *
 * <p>Posting a message is for integrations (any API key of the tenant) and tenant admins; it is
 * recorded durably before the answer, then processed by the tenant's rules. The log is for tenant
 * admins and coordinators.
 */
public final class MailHandler {

  public static final String INBOUND = "/api/v1/tenants/:tenantId/mail/inbound";
  /** The largest raw message accepted over HTTP. */
  public static final long MAX_MESSAGE_BYTES = 40L * 1024 * 1024;

  private static final Set<Role> READERS = Set.of(Role.TENANT_ADMIN, Role.COORDINATOR);
  private static final Set<String> STATES = Set.of("received", "processed", "rejected", "quarantined");

  private final MailIntake intake;
  private final MailStore store;

  public MailHandler(MailIntake intake, MailStore store) {
    this.intake = intake;
    this.store = store;
  }

  /** {@code POST .../mail/inbound} with {@code Content-Type: message/rfc822}: 201 new, 200 duplicate. */
  public void inbound(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    if (AuthGuard.apiKey(ctx) == null && caller.role() != Role.TENANT_ADMIN) {
      throw OtklikException.forbidden("mail.inbound-forbidden");
    }
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("message/rfc822")) {
      throw new OtklikException(415, "mail.media-type", String.valueOf(type));
    }
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0) {
      throw OtklikException.badRequest("mail.empty");
    }
    intake.receive(caller.tenantId(), ctx.body().buffer().getBytes(), "http")
        .onSuccess(r -> {
          ctx.response().putHeader("Location", ctx.request().path() + "/" + r.id());
          HealthHandler.json(ctx, r.duplicate() ? 200 : 201, r.toJson());
        })
        .onFailure(ctx::fail);
  }

  /** {@code GET .../mail/inbound?state=quarantined&offset=&limit=}: newest first. */
  public void list(RoutingContext ctx) {
    AccessClaims caller = requireReader(ctx);
    String state = ctx.queryParams().get("state");
    if (state != null && !STATES.contains(state)) {
      throw OtklikException.badRequest("mail.state-invalid", state);
    }
    int offset = Paging.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = Paging.intParam(ctx, "limit", 50, 1, 200);
    store.listInbound(caller.tenantId(), state, offset, limit)
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.items().forEach(m -> items.add(new JsonObject().put("id", m.id().toString())
              .put("messageId", m.messageId()).put("dedupKey", m.dedupKey()).put("source", m.source())
              .put("sizeBytes", m.sizeBytes()).put("sender", m.sender()).put("subject", m.subject())
              .put("state", m.state()).put("outcome", m.outcome()).put("problem", m.problem())
              .put("requestNumber", m.ticketNumber()).put("attempts", m.attempts())
              .put("receivedAt", m.receivedAt().toInstant().toString())
              .put("processedAt", m.processedAt() == null ? null : m.processedAt().toInstant().toString())));
          HealthHandler.json(ctx, 200, new JsonObject().put("items", items).put("total", page.total())
              .put("offset", offset).put("limit", limit));
        })
        .onFailure(ctx::fail);
  }

  /** {@code GET .../mail/inbound/:mailId}: the raw message as received ({@code message/rfc822}). */
  public void download(RoutingContext ctx) {
    AccessClaims caller = requireReader(ctx);
    UUID id = JsonInput.pathId(ctx, "mailId", "mail.not-found");
    store.inboundRaw(caller.tenantId(), id)
        .map(raw -> raw.orElseThrow(() -> OtklikException.notFound("mail.not-found", id)))
        .onSuccess(raw -> ctx.response().putHeader("Content-Type", "message/rfc822")
            .putHeader("Content-Disposition", "attachment; filename=\"" + id + ".eml\"")
            .end(io.vertx.core.buffer.Buffer.buffer(raw)))
        .onFailure(ctx::fail);
  }

  /** {@code POST .../mail/inbound/:mailId/retry}: a quarantined message is processed again. */
  public void retry(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    if (caller.role() != Role.TENANT_ADMIN) {
      throw OtklikException.forbidden("mail.forbidden");
    }
    UUID id = JsonInput.pathId(ctx, "mailId", "mail.not-found");
    store.retryInbound(caller.tenantId(), id)
        .compose(ok -> ok ? intake.process(caller.tenantId(), id)
            : io.vertx.core.Future.failedFuture(new OtklikException(409, "mail.not-quarantined", id)))
        .onSuccess(r -> HealthHandler.json(ctx, 200, r.toJson()))
        .onFailure(ctx::fail);
  }

  /** {@code GET .../me/mail-preferences}: {@code {"nonContractual": true|false}}. */
  public void preferences(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    store.isOptedOut(caller.tenantId(), caller.userId())
        .onSuccess(out -> HealthHandler.json(ctx, 200, new JsonObject().put("nonContractual", !out)))
        .onFailure(ctx::fail);
  }

  /** {@code PUT .../me/mail-preferences} {@code {"nonContractual": false}} opts out of non-contractual mail. */
  public void setPreferences(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    if (AuthGuard.apiKey(ctx) != null) {
      throw OtklikException.forbidden("mail.forbidden");
    }
    JsonInput in = JsonInput.of(ctx, Set.of("nonContractual"));
    if (!in.has("nonContractual")) {
      throw JsonInput.missing("nonContractual");
    }
    boolean wanted = in.bool("nonContractual");
    store.setOptOut(caller.tenantId(), caller.userId(), !wanted)
        .onSuccess(ok -> HealthHandler.json(ctx, 200, new JsonObject().put("nonContractual", wanted)))
        .onFailure(ctx::fail);
  }

  private static AccessClaims requireReader(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    if (!READERS.contains(caller.role())) {
      throw OtklikException.forbidden("mail.forbidden");
    }
    return caller;
  }
}
