package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.Permissions;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.store.ListQuery;
import dev.otklik.store.Organisation;
import dev.otklik.store.OrganisationStore;
import dev.otklik.store.OrganisationStore.OrganisationDetails;
import dev.otklik.store.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/tenants/:tenantId/organisations}: the tenant's customer organisations. Tenant
 * admins create and change them; all vendor staff (and API keys) read them, since agents file
 * requests on a customer's behalf; a customer sees only the organisations they belong to. Changes need
 * {@code If-Match} with the ETag of the version they are based on.
 */
public final class OrganisationHandler {

  private static final Pattern ETAG = Pattern.compile("(?:W/)?\"(\\d{1,9})\"");
  /** Body keys of create and change; a change may not name emailDomains, which gets its own problem. */
  private static final Set<String> KEYS = Set.of(
      "name", "emailDomains", "contractNumber", "contractStart", "freeSupportUntil", "warrantyUntil");
  private static final int MAX_NAME = 300;
  private static final int MAX_CONTRACT_NUMBER = 100;
  private static final int MAX_DOMAINS = 100;
  private static final int MAX_DOMAIN = 253;

  private final OrganisationStore organisations;

  public OrganisationHandler(OrganisationStore organisations) {
    this.organisations = organisations;
  }

  /** {@code GET ...?offset=&limit=&q=&sort=}: a page of organisations (a customer's own ones only). */
  public void list(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    ListQuery query = listQuery(ctx);
    organisations.listAmong(caller.tenantId(), Permissions.confinedToAll(caller), query)
        .onSuccess(page -> HealthHandler.json(ctx, 200, pageJson(query, page, OrganisationHandler::json)))
        .onFailure(ctx::fail);
  }

  /** {@code POST ...}: tenant admin only; 201 with the organisation, its Location and ETag. */
  public void create(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    JsonInput in = JsonInput.of(ctx, KEYS);
    OrganisationDetails details = new OrganisationDetails(
        in.requiredText("name", MAX_NAME), in.texts("emailDomains", MAX_DOMAINS, MAX_DOMAIN),
        in.text("contractNumber", MAX_CONTRACT_NUMBER), in.date("contractStart"),
        in.date("freeSupportUntil"), in.date("warrantyUntil"));
    organisations.create(caller.tenantId(), details)
        .onSuccess(o -> {
          ctx.response().putHeader("Location", ctx.request().path() + "/" + o.id()).putHeader("ETag", etag(o.version()));
          IdempotencyHandler.respond(ctx, 201, json(o));
        })
        .onFailure(ctx::fail);
  }

  /** {@code GET .../:organisationId}: 404 for another tenant's or, for a customer, another organisation's. */
  public void get(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    UUID id = JsonInput.pathId(ctx, "organisationId", "organisation.not-found");
    if (!Permissions.maySeeOrganisation(caller, id)) {
      throw OtklikException.notFound("organisation.not-found", id);
    }
    visible(caller, id)
        .onSuccess(o -> {
          ctx.response().putHeader("ETag", etag(o.version()));
          HealthHandler.json(ctx, 200, json(o));
        })
        .onFailure(ctx::fail);
  }

  /**
   * {@code PATCH .../:organisationId} with {@code If-Match}: tenant admin only. Fields present
   * in the body replace the current ones (null clears a date or the contract number); mail
   * domains are not changed here. 428 without If-Match, 412 when the organisation has changed.
   */
  public void update(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    UUID id = JsonInput.pathId(ctx, "organisationId", "organisation.not-found");
    int expectedVersion = ifMatchVersion(ctx);
    JsonInput in = JsonInput.of(ctx, KEYS);
    if (in.has("emailDomains")) {
      throw OtklikException.badRequest("organisation.email-domains-read-only");
    }
    String name = in.has("name") ? in.requiredText("name", MAX_NAME) : null;
    String contractNumber = in.text("contractNumber", MAX_CONTRACT_NUMBER);
    LocalDate contractStart = in.date("contractStart");
    LocalDate freeSupportUntil = in.date("freeSupportUntil");
    LocalDate warrantyUntil = in.date("warrantyUntil");
    visible(caller, id)
        .compose(current -> {
          OrganisationDetails changed = new OrganisationDetails(
              in.has("name") ? name : current.name(),
              current.emailDomains(),
              in.has("contractNumber") ? contractNumber : current.contractNumber(),
              in.has("contractStart") ? contractStart : current.contractStart(),
              in.has("freeSupportUntil") ? freeSupportUntil : current.freeSupportUntil(),
              in.has("warrantyUntil") ? warrantyUntil : current.warrantyUntil());
          return organisations.updateDetails(caller.tenantId(), id, expectedVersion, changed);
        })
        .recover(failure -> Future.failedFuture(failure instanceof OtklikException e
            && e.code().equals("organisation.version-conflict")
            ? new OtklikException(412, e.code(), e.args().toArray()) : failure))
        .compose(version -> visible(caller, id))
        .onSuccess(o -> {
          ctx.response().putHeader("ETag", etag(o.version()));
          HealthHandler.json(ctx, 200, json(o));
        })
        .onFailure(ctx::fail);
  }

  private Future<Organisation> visible(AccessClaims caller, UUID id) {
    return organisations.findById(caller.tenantId(), id)
        .compose(found -> found.isPresent()
            ? Future.succeededFuture(found.get())
            : Future.failedFuture(OtklikException.notFound("organisation.not-found", id)));
  }

  static String etag(int version) {
    return "\"" + version + "\"";
  }

  private static int ifMatchVersion(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank()) {
      throw new OtklikException(428, "request.if-match-required");
    }
    Matcher m = ETAG.matcher(header.strip());
    if (!m.matches()) {
      throw new OtklikException(412, "request.if-match-invalid", header.strip());
    }
    return Integer.parseInt(m.group(1));
  }

  static ListQuery listQuery(RoutingContext ctx) {
    return new ListQuery(
        Paging.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
        Paging.intParam(ctx, "limit", 50, 1, 500),
        ctx.queryParams().get("q"),
        ctx.queryParams().get("sort"));
  }

  /** The shape of every paged list: items, total, offset and limit. */
  static <T> JsonObject pageJson(ListQuery query, Page<T> page, Function<T, JsonObject> item) {
    JsonArray items = new JsonArray();
    page.items().forEach(i -> items.add(item.apply(i)));
    return new JsonObject().put("items", items).put("total", page.total())
        .put("offset", query.offset()).put("limit", query.limit());
  }

  static JsonObject json(Organisation o) {
    return new JsonObject()
        .put("id", o.id().toString())
        .put("name", o.name())
        .put("emailDomains", new JsonArray(o.emailDomains()))
        .put("contractNumber", o.contractNumber())
        .put("contractStart", o.contractStart() == null ? null : o.contractStart().toString())
        .put("freeSupportUntil", o.freeSupportUntil() == null ? null : o.freeSupportUntil().toString())
        .put("warrantyUntil", o.warrantyUntil() == null ? null : o.warrantyUntil().toString())
        .put("createdAt", o.createdAt().toInstant().toString())
        .put("version", o.version());
  }
}
