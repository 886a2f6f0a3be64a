package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.store.MassNotice;
import dev.otklik.store.MassNotice.Audience;
import dev.otklik.store.MassNotice.Kind;
import dev.otklik.store.MassNotice.Received;
import dev.otklik.store.MassNoticeStore;
import dev.otklik.store.MassNoticeStore.NewNotice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Mass notices under {@code /api/v1/tenants/:tenantId/notices}: staff publish one notice to every
 * customer of the tenant or to the customers of chosen organisations; customers read the notices
 * addressed to them and mark them read.
 *
 * <p>Publishing is for tenant admins and coordinators. A coordinator runs the desk day to day and
 * is the one who must announce tonight's maintenance window or an urgent security update without
 * waiting for an administrator; agents work single requests and may not write to every customer.
 */
public final class MassNoticeHandler {

  /** Roles that may publish. */
  static final Set<Role> PUBLISHERS = Set.of(Role.TENANT_ADMIN, Role.COORDINATOR);

  private static final int MAX_TITLE = 200;
  private static final int MAX_BODY = 20_000;
  private static final int MAX_ORGANISATIONS = 1_000;
  private static final Set<String> NOTICE_KEYS = Set.of("kind", "title", "body", "audience", "organisationIds");
  private static final Set<String> LANGUAGES = Set.of("ru", "en");

  private final MassNoticeStore notices;

  public MassNoticeHandler(MassNoticeStore notices) {
    this.notices = notices;
  }

  /**
   * {@code POST .../notices}, body {@code {kind, title: {ru, en?}, body: {ru, en?}, audience,
   * organisationIds?}}: 201 with the notice and its recipient count. Behind
   * {@link IdempotencyHandler}: a retry with the same {@code Idempotency-Key} gets the first answer
   * and tells nobody twice.
   */
  public void publish(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    if (!PUBLISHERS.contains(caller.role())) {
      throw OtklikException.forbidden("notice.publish-forbidden");
    }
    NewNotice notice = newNotice(ctx);
    notices.publish(caller.tenantId(), caller.userId(), notice)
        .onSuccess(published -> {
          ctx.response().putHeader("Location", ctx.request().path() + "/" + published.id());
          IdempotencyHandler.respond(ctx, 201, staffJson(published));
        })
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET .../notices?offset=&limit=}, newest first. A customer gets the notices addressed to
   * them with their read state and an {@code unread} count; staff get every notice with its
   * audience and recipient and read counts.
   */
  public void list(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    int offset = Paging.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = Paging.intParam(ctx, "limit", 50, 1, 200);
    if (caller.role() == Role.CUSTOMER) {
      notices.inbox(caller.tenantId(), caller.userId(), offset, limit)
          .onSuccess(inbox -> HealthHandler.json(ctx, 200,
              page(inbox.items().stream().map(MassNoticeHandler::receivedJson).toList(), inbox.total(), offset, limit)
                  .put("unread", inbox.unread())))
          .onFailure(ctx::fail);
    } else {
      notices.listForStaff(caller.tenantId(), offset, limit)
          .onSuccess(page -> HealthHandler.json(ctx, 200,
              page(page.items().stream().map(MassNoticeHandler::staffJson).toList(), page.total(), offset, limit)))
          .onFailure(ctx::fail);
    }
  }

  /** {@code GET .../notices/:noticeId}: one notice; a customer sees only one addressed to them (404 otherwise). */
  public void get(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    UUID id = noticeId(ctx);
    (caller.role() == Role.CUSTOMER
        ? notices.findReceived(caller.tenantId(), caller.userId(), id).map(found -> found.map(MassNoticeHandler::receivedJson))
        : notices.findForStaff(caller.tenantId(), id).map(found -> found.map(MassNoticeHandler::staffJson)))
        .map(found -> found.orElseThrow(() -> OtklikException.notFound("notice.not-found", id)))
        .onSuccess(notice -> HealthHandler.json(ctx, 200, notice))
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST .../notices/:noticeId/read}: the recipient marks the notice read; 200 with when it
   * was first read. Anyone the notice was not addressed to gets 404.
   */
  public void markRead(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    UUID id = noticeId(ctx);
    notices.markRead(caller.tenantId(), caller.userId(), id)
        .map(readAt -> readAt.orElseThrow(() -> OtklikException.notFound("notice.not-found", id)))
        .onSuccess(readAt -> HealthHandler.json(ctx, 200, new JsonObject().put("id", id.toString()).put("readAt", instant(readAt))))
        .onFailure(ctx::fail);
  }

  private static UUID noticeId(RoutingContext ctx) {
    return JsonInput.pathId(ctx, "noticeId", "notice.not-found");
  }

  private static NewNotice newNotice(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, NOTICE_KEYS);
    Kind kind = JsonInput.required(in.code("kind", Kind.values(), Kind::code), "kind");
    Audience audience = JsonInput.required(in.code("audience", Audience.values(), Audience::code), "audience");
    LocalizedText title = text(in, "title", MAX_TITLE);
    LocalizedText text = text(in, "body", MAX_BODY);
    if (title.en().isPresent() != text.en().isPresent()) {
      // English is given for the whole notice or not at all
      throw JsonInput.missing(title.en().isPresent() ? "body.en" : "title.en");
    }
    List<UUID> organisations = in.uuids("organisationIds", MAX_ORGANISATIONS);
    if (audience == Audience.ORGANISATIONS && organisations.isEmpty()) {
      throw JsonInput.missing("organisationIds");
    }
    if (audience != Audience.ORGANISATIONS && !organisations.isEmpty()) {
      throw JsonInput.invalid("organisationIds", "given only with audience " + Audience.ORGANISATIONS.code());
    }
    return new NewNotice(kind, title, text, audience, organisations);
  }

  private static LocalizedText text(JsonInput in, String field, int max) {
    JsonInput texts = JsonInput.required(in.object(field, LANGUAGES), field);
    String ru = texts.requiredText("ru", max);
    String en = texts.text("en", max);
    return en == null ? LocalizedText.ru(ru) : LocalizedText.of(ru, en);
  }

  private static JsonObject page(List<JsonObject> items, long total, int offset, int limit) {
    return new JsonObject().put("items", new JsonArray(new ArrayList<>(items)))
        .put("total", total).put("offset", offset).put("limit", limit);
  }

  private static JsonObject staffJson(MassNotice notice) {
    return new JsonObject()
        .put("id", notice.id().toString())
        .put("kind", notice.kind().code())
        .put("title", textJson(notice.title()))
        .put("body", textJson(notice.body()))
        .put("audience", notice.audience().code())
        .put("organisationIds", new JsonArray(notice.organisationIds().stream().map(UUID::toString).toList()))
        .put("publishedBy", notice.publishedBy().toString())
        .put("publishedAt", instant(notice.publishedAt()))
        .put("recipientCount", notice.recipientCount())
        .put("readCount", notice.readCount());
  }

  private static JsonObject receivedJson(Received notice) {
    return new JsonObject()
        .put("id", notice.id().toString())
        .put("kind", notice.kind().code())
        .put("title", textJson(notice.title()))
        .put("body", textJson(notice.body()))
        .put("publishedAt", instant(notice.publishedAt()))
        .put("read", notice.readAt() != null)
        .put("readAt", Optional.ofNullable(notice.readAt()).map(MassNoticeHandler::instant).orElse(null));
  }

  private static JsonObject textJson(LocalizedText text) {
    JsonObject json = new JsonObject().put("ru", text.ru());
    text.en().ifPresent(en -> json.put("en", en));
    return json;
  }

  private static String instant(OffsetDateTime time) {
    return time.toInstant().toString();
  }
}
