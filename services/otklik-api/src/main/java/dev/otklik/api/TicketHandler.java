package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.Permissions;
import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.core.sla.SlaClock;
import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.Release;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.ticket.DayArithmetic;
import dev.otklik.core.ticket.TicketAction;
import dev.otklik.core.ticket.TicketWorkflow;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.core.time.DeadlineCalculator;
import dev.otklik.store.EventSignal;
import dev.otklik.store.TicketDeadline;
import dev.otklik.store.ListQuery;
import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import dev.otklik.store.TicketStore.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Requests under {@code /api/v1/tenants/:tenantId/requests}, addressed by their human number.
 * Behind the auth guard: the caller's tenant is the path's. Customers act within their
 * organisations and the requests they watch (the store filters every statement by them, so
 * another organisation's request is 404), see public comments and events only, and never the
 * work log. A customer files for one of their organisations ({@code organisationId}, default the
 * primary one).
 *
 * <p>Attachments are uploaded as the raw request body: {@code Content-Type} is the file's type
 * and the query parameter {@code name} its file name.
 */
public final class TicketHandler {

  public static final String BASE = "/api/v1/tenants/:tenantId/requests";
  public static final String ATTACHMENTS = BASE + "/:number/attachments";
  /** Largest single attachment; the upload route's body limit. */
  public static final long MAX_ATTACHMENT_BYTES = 10L * 1024 * 1024;
  /** Largest sum of a request's attachments. */
  public static final long MAX_REQUEST_ATTACHMENT_BYTES = 50L * 1024 * 1024;

  private static final Set<String> CHANNELS = Set.of("portal", "email", "phone", "api");
  private static final Set<String> CREATE_KEYS = Set.of("channel", "kind", "category", "priority", "severity",
      "service", "subject", "description", "form", "organisationId", "requesterId", "assigneeId", "plannedDate",
      "callbackDueAt");
  private static final Set<String> PATCH_KEYS = Set.of("category", "priority", "severity", "assigneeId", "plannedDate");
  private static final Pattern CONTENT_TYPE = Pattern.compile("[\\w.+-]+/[\\w.+-]+(;\\s*[\\w.+-]+=[\\w.+\"-]+)*");
  private static final Pattern ETAG = Pattern.compile("(W/)?\"?(\\d{1,9})\"?");

  private final Vertx vertx;
  private final TenantSource tenants;
  private final TicketStore store;
  private final Clock clock;

  public TicketHandler(Vertx vertx, TenantSource tenants, TicketStore store, Clock clock) {
    this.vertx = vertx;
    this.tenants = tenants;
    this.store = store;
    this.clock = clock;
  }

  /** {@code POST /requests}: registers a request; staff file on a customer's behalf (phone intake). */
  public void create(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    TicketRules rules = rules(ctx);
    JsonInput in = JsonInput.of(ctx, CREATE_KEYS);
    boolean staff = TicketWorkflow.isStaff(me.role());
    String channel = in.has("channel") ? in.text("channel", 20) : staff ? "phone" : "portal";
    if (!CHANNELS.contains(channel) || !staff && !Set.of("portal", "api").contains(channel)) {
      throw OtklikException.badRequest("ticket.value-unknown", "channel", channel);
    }
    if (!staff) {
      for (String key : List.of("requesterId", "assigneeId", "plannedDate", "callbackDueAt")) {
        if (in.has(key)) {
          throw OtklikException.forbidden("ticket.field-forbidden", key);
        }
      }
    }
    UUID assignee = in.uuid("assigneeId");
    if (assignee != null && !TicketWorkflow.mayAssign(me.role())) {
      throw OtklikException.forbidden("ticket.field-forbidden", "assigneeId");
    }
    String kind = taxonomyValue(rules, in, "kind", "kinds");
    String category = taxonomyValue(rules, in, "category", "categories");
    String priority = taxonomyValue(rules, in, "priority", "priorities");
    String severity = taxonomyValue(rules, in, "severity", "severities");
    String service = in.text("service", 100);
    if (service != null && !rules.requestableService(service)) {
      throw OtklikException.badRequest("ticket.value-unknown", "service", service);
    }
    String subject = in.text("subject", 300);
    String description = in.text("description", 20_000);
    JsonObject given = new JsonObject().put("kind", kind).put("category", category).put("priority", priority)
        .put("severity", severity).put("service", service).put("subject", subject).put("description", description);
    for (String required : rules.requiredFields()) {
      if (given.getValue(required) == null) {
        throw JsonInput.missing(required);
      }
    }
    JsonObject answers = in.object("form");
    // Customers fill the form in when they file; a call registered by staff may get it later.
    if (answers == null && rules.hasForm() && !staff) {
      throw JsonInput.missing("form");
    }
    JsonObject form = answers == null ? null : rules.checkForm(answers);
    UUID organisation = staff ? JsonInput.required(in.uuid("organisationId"), "organisationId")
        : customerOrganisation(me, in.uuid("organisationId"));
    UUID requester = staff ? JsonInput.required(in.uuid("requesterId"), "requesterId") : me.userId();
    OffsetDateTime callbackDue = in.dateTime("callbackDueAt");
    if (callbackDue != null) {
      checkCallback(me.tenantId(), rules, channel, callbackDue);
    }
    TicketStore.NewTicket ticket = new TicketStore.NewTicket(rules.numberPrefix(), rules.zone(), channel, kind,
        category, priority, severity, service, subject, description, form, organisation, requester, assignee,
        in.date("plannedDate"), callbackDue);
    String tenantId = me.tenantId();
    store.create(tenantId, caller(me), ticket, sla(tenantId))
        .onSuccess(change -> signal(tenantId, change))
        .onSuccess(change -> ctx.response().putHeader("Location",
            "/api/v1/tenants/" + tenantId + "/requests/" + change.value().number()))
        .onSuccess(change -> sendTicket(ctx, 201, change.value(), rules))
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET /requests}: a page, filtered and sorted; customers see their organisations' requests
   * and the ones they watch ({@code watching=true}: only those).
   */
  public void list(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    TicketRules rules = rules(ctx);
    int offset = Paging.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = Paging.intParam(ctx, "limit", 50, 1, 200);
    List<String> statuses = listParam(ctx, "status");
    for (String s : statuses) {
      try {
        ConfigId.parse(WorkflowStatus.class, s);
      } catch (IllegalArgumentException e) {
        throw OtklikException.badRequest("ticket.filter-invalid", "status", s);
      }
    }
    List<String> priorities = listParam(ctx, "priority");
    List<String> known = rules.taxonomyIds("priorities");
    priorities.stream().filter(p -> !known.contains(p)).findFirst().ifPresent(p -> {
      throw OtklikException.badRequest("ticket.filter-invalid", "priority", p);
    });
    TicketStore.TicketFilter filter = new TicketStore.TicketFilter(statuses, priorities,
        uuidParam(ctx, "assignee"), uuidParam(ctx, "organisation"), ctx.queryParams().get("service"),
        instantParam(ctx, "createdFrom"), instantParam(ctx, "createdTo"), known,
        watchingParam(ctx) ? me.userId() : null);
    Optional<BusinessCalendar> calendar = tenants.calendar(me.tenantId());
    boolean staff = TicketWorkflow.isStaff(me.role());
    store.list(me.tenantId(), caller(me), filter,
            new ListQuery(offset, limit, null, ctx.queryParams().get("sort")))
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          // each row's deadlines as the read shows them, without the explanations (the read has those)
          page.items().forEach(t -> items.add(toJson(t.ticket(), rules)
              .put("deadlines", deadlines(t.deadlines(), calendar, staff, false))));
          boolean exact = page.total() <= TicketStore.EXACT_TOTAL_UP_TO;
          HealthHandler.json(ctx, 200, new JsonObject().put("items", items)
              .put("total", Math.min(page.total(), TicketStore.EXACT_TOTAL_UP_TO)).put("totalExact", exact)
              .put("offset", offset).put("limit", limit));
        })
        .onFailure(ctx::fail);
  }

  /** {@code GET /requests/:number}: the request, with its version as ETag. */
  public void get(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    String number = ctx.pathParam("number");
    TicketRules rules = rules(ctx);
    Optional<BusinessCalendar> calendar = tenants.calendar(me.tenantId());
    boolean staff = TicketWorkflow.isStaff(me.role());
    store.findWithDeadlines(me.tenantId(), caller(me), number)
        .map(found -> found.orElseThrow(() -> OtklikException.notFound("ticket.not-found", number)))
        .onSuccess(found -> {
          ctx.response().putHeader("ETag", "\"" + found.ticket().version() + "\"");
          IdempotencyHandler.respond(ctx, 200, toJson(found.ticket(), rules)
              .put("deadlines", deadlines(found.deadlines(), calendar, staff, true))
              .put("watchers", WatcherHandler.watchersJson(found.watchers())));
        })
        .onFailure(ctx::fail);
  }

  /** {@code PATCH /requests/:number}: triage fields; staff only, If-Match required, assigning is a coordinator's. */
  public void patch(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    requireStaff(me);
    TicketRules rules = rules(ctx);
    int expected = ifMatch(ctx, true);
    JsonInput in = JsonInput.of(ctx, PATCH_KEYS);
    if (in.has("assigneeId") && !TicketWorkflow.mayAssign(me.role())) {
      throw OtklikException.forbidden("ticket.field-forbidden", "assigneeId");
    }
    String category = taxonomyValue(rules, in, "category", "categories");
    String priority = taxonomyValue(rules, in, "priority", "priorities");
    String severity = taxonomyValue(rules, in, "severity", "severities");
    UUID assignee = in.uuid("assigneeId");
    LocalDate planned = in.date("plannedDate");
    store.updateTriage(me.tenantId(), caller(me), ctx.pathParam("number"), expected, f ->
            new TicketStore.TriageFields(
                in.has("category") ? category : f.category(),
                in.has("priority") ? priority : f.priority(),
                in.has("severity") ? severity : f.severity(),
                in.has("assigneeId") ? assignee : f.assigneeId(),
                in.has("plannedDate") ? planned : f.plannedDate()), sla(me.tenantId()))
        .onSuccess(change -> signal(me.tenantId(), change))
        .onSuccess(change -> sendTicket(ctx, 200, change.value(), rules))
        .onFailure(ctx::fail);
  }

  /** {@code POST /requests/:number/transitions} {@code {"action": "accept"}}; If-Match optional. */
  public void transition(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    TicketRules rules = rules(ctx);
    Integer expected = ifMatch(ctx, false);
    JsonInput in = JsonInput.of(ctx, Set.of("action"));
    String actionId = in.text("action", 40);
    TicketAction action;
    try {
      action = ConfigId.parse(TicketAction.class, actionId == null ? "" : actionId);
    } catch (IllegalArgumentException e) {
      throw OtklikException.badRequest("ticket.value-unknown", "action", String.valueOf(actionId));
    }
    Instant now = clock.instant();
    store.transition(me.tenantId(), caller(me), ctx.pathParam("number"), actionId, current -> {
          if (expected != null && current.version() != expected) {
            throw new OtklikException(412, "ticket.version-mismatch", expected, current.version());
          }
          boolean windowOpen = current.finishedAt() != null && rules.reopenWithin()
              .map(w -> latest(me.tenantId(), rules, current.finishedAt().toInstant(), w)
                  .map(deadline -> !now.isAfter(deadline))
                  // no computable limit (by-agreement, or working hours without a calendar): not enforced
                  .orElse(true))
              .orElse(false);
          return TicketWorkflow.next(current.status(), action, me.role(), new TicketWorkflow.Context(
              rules.customerMayClose(), rules.reopenWithin().isPresent(), windowOpen,
              me.userId().equals(current.requesterId())));
        }, sla(me.tenantId()))
        .onSuccess(change -> signal(me.tenantId(), change))
        .onSuccess(change -> sendTicket(ctx, 200, change.value(), rules))
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST /requests/:number/form} {@code {"form": {...}}}: the tenant's request form for a
   * registered request, by its customer or by staff; checked as on create. Emits
   * {@code form-received}: clocks stopping on it stop, workflow timers cancelled by it are disarmed.
   */
  public void submitForm(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    TicketRules rules = rules(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("form"));
    JsonObject form = rules.checkForm(JsonInput.required(in.object("form"), "form"));
    store.submitForm(me.tenantId(), caller(me), ctx.pathParam("number"), form, sla(me.tenantId()))
        .onSuccess(change -> signal(me.tenantId(), change))
        .onSuccess(change -> sendTicket(ctx, 200, change.value(), rules))
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST /requests/:number/callback} {@code {"note": "..."}}: staff record that they called
   * the customer back as promised (phone requests with {@code callbackDueAt}). Disarms the
   * promise's alarm and adds a public {@code callback-made} event, saying whether it was on time.
   */
  public void recordCallback(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    requireStaff(me);
    TicketRules rules = rules(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("note"));
    String note = in.text("note", 2_000);
    store.recordCallback(me.tenantId(), caller(me), ctx.pathParam("number"), note, sla(me.tenantId()))
        .onSuccess(change -> signal(me.tenantId(), change))
        .onSuccess(change -> sendTicket(ctx, 200, change.value(), rules))
        .onFailure(ctx::fail);
  }

  /** {@code POST /requests/:number/comments} {@code {"body": "...", "internal": false}}; internal notes are staff-only. */
  public void addComment(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    JsonInput in = JsonInput.of(ctx, Set.of("body", "internal"));
    String body = in.requiredText("body", 20_000);
    boolean internal = in.bool("internal");
    if (internal) {
      requireStaff(me);
    }
    store.addComment(me.tenantId(), caller(me), ctx.pathParam("number"), body, internal, sla(me.tenantId()))
        .onSuccess(change -> signal(me.tenantId(), change))
        .onSuccess(change -> IdempotencyHandler.respond(ctx, 201, comment(change.value())))
        .onFailure(ctx::fail);
  }

  public void listComments(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    store.comments(me.tenantId(), caller(me), ctx.pathParam("number"))
        .onSuccess(list -> HealthHandler.json(ctx, 200, items(list.stream().map(TicketHandler::comment).toList())))
        .onFailure(ctx::fail);
  }

  /** {@code POST /requests/:number/attachments?name=...}: the raw body is the file. */
  public void addAttachment(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    String type = ctx.request().getHeader("Content-Type");
    type = type == null || type.isBlank() ? "application/octet-stream" : type.strip();
    if (type.regionMatches(true, 0, "multipart/", 0, 10) || !CONTENT_TYPE.matcher(type).matches()
        || type.length() > 200) {
      throw new OtklikException(415, "ticket.attachment-raw-body");
    }
    String name = ctx.queryParams().get("name");
    if (name == null || name.isBlank() || name.length() > 255 || name.matches(".*[/\\\\\\p{Cntrl}].*")) {
      throw OtklikException.badRequest("ticket.attachment-name-invalid");
    }
    Buffer content = ctx.body().buffer();
    if (content == null || content.length() == 0) {
      throw OtklikException.badRequest("ticket.attachment-empty");
    }
    if (content.length() > MAX_ATTACHMENT_BYTES) {
      throw new OtklikException(413, "ticket.attachment-too-large", MAX_ATTACHMENT_BYTES);
    }
    store.addAttachment(me.tenantId(), caller(me), ctx.pathParam("number"), name.strip(), type, content,
            MAX_REQUEST_ATTACHMENT_BYTES)
        .onSuccess(change -> signal(me.tenantId(), change))
        .onSuccess(change -> IdempotencyHandler.respond(ctx, 201, attachment(change.value())))
        .onFailure(ctx::fail);
  }

  public void listAttachments(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    store.attachments(me.tenantId(), caller(me), ctx.pathParam("number"))
        .onSuccess(list -> HealthHandler.json(ctx, 200, items(list.stream().map(TicketHandler::attachment).toList())))
        .onFailure(ctx::fail);
  }

  /** {@code GET /requests/:number/attachments/:attachmentId}: the file, as a download. */
  public void download(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("attachmentId"));
    } catch (IllegalArgumentException e) {
      throw OtklikException.notFound("ticket.attachment-not-found");
    }
    store.attachment(me.tenantId(), caller(me), ctx.pathParam("number"), id)
        .map(found -> found.orElseThrow(() -> OtklikException.notFound("ticket.attachment-not-found")))
        .onSuccess(file -> ctx.response()
            .putHeader("Content-Type", file.attachment().contentType())
            .putHeader("Content-Disposition", "attachment; filename*=UTF-8''"
                + URLEncoder.encode(file.attachment().fileName(), StandardCharsets.UTF_8).replace("+", "%20"))
            .putHeader("X-Content-Type-Options", "nosniff")
            .end(file.content()))
        .onFailure(ctx::fail);
  }

  /** {@code POST /requests/:number/worklog} {@code {"minutes": 30, "description": "..."}}; staff only. */
  public void addWorkLog(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    requireStaff(me);
    JsonInput in = JsonInput.of(ctx, Set.of("minutes", "description"));
    int minutes = in.integer("minutes", 1, 1440);
    String description = in.requiredText("description", 5_000);
    store.addWorkLog(me.tenantId(), caller(me), ctx.pathParam("number"), minutes, description)
        .onSuccess(change -> signal(me.tenantId(), change))
        .onSuccess(change -> IdempotencyHandler.respond(ctx, 201, workLog(change.value())))
        .onFailure(ctx::fail);
  }

  public void listWorkLog(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    requireStaff(me);
    store.workLog(me.tenantId(), caller(me), ctx.pathParam("number"))
        .onSuccess(list -> HealthHandler.json(ctx, 200, items(list.stream().map(TicketHandler::workLog).toList())))
        .onFailure(ctx::fail);
  }

  /** {@code GET /requests/:number/events?after=&limit=}: history in sequence order; customers get the public part. */
  public void events(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    int after = Paging.intParam(ctx, "after", 0, 0, Integer.MAX_VALUE);
    int limit = Paging.intParam(ctx, "limit", 100, 1, 500);
    store.events(me.tenantId(), caller(me), ctx.pathParam("number"), after, limit)
        .onSuccess(list -> HealthHandler.json(ctx, 200, items(list.stream().map(e -> new JsonObject()
            .put("sequence", e.sequence()).put("type", e.type()).put("actorId", str(e.actorId()))
            .put("public", e.isPublic()).put("before", e.before()).put("after", e.after())
            .put("createdAt", str(e.createdAt()))).toList())))
        .onFailure(ctx::fail);
  }

  private TicketRules rules(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    return new TicketRules(tenants.config(tenantId)
        .orElseThrow(() -> OtklikException.notFound("tenant.not-found", tenantId)));
  }

  /** The store's view of the caller: a customer with all their organisations (403 without any). */
  static Caller caller(AccessClaims me) {
    return new Caller(me.userId(), me.role(), me.organisationId(), Permissions.confinedToAll(me));
  }

  /**
   * The organisation a customer files for: {@code wanted} if it is one of theirs (403
   * {@code ticket.organisation-forbidden} otherwise; the store checks the membership again), else
   * their primary one.
   */
  private static UUID customerOrganisation(AccessClaims me, UUID wanted) {
    if (wanted == null) {
      return me.organisationId();
    }
    if (!me.organisationIds().contains(wanted)) {
      throw OtklikException.forbidden("ticket.organisation-forbidden", wanted);
    }
    return wanted;
  }

  /** {@code watching=true}: only the requests the caller watches. */
  private static boolean watchingParam(RoutingContext ctx) {
    String raw = ctx.queryParams().get("watching");
    if (raw == null || raw.equals("false")) {
      return false;
    }
    if (!raw.equals("true")) {
      throw OtklikException.badRequest("ticket.filter-invalid", "watching", raw);
    }
    return true;
  }

  private static void requireStaff(AccessClaims me) {
    if (!TicketWorkflow.isStaff(me.role())) {
      throw OtklikException.forbidden("ticket.staff-only");
    }
  }

  private static String taxonomyValue(TicketRules rules, JsonInput in, String field, String list) {
    String value = in.text(field, 100);
    if (value != null && !rules.taxonomyIds(list).contains(value)) {
      throw OtklikException.badRequest("ticket.value-unknown", field, value);
    }
    return value;
  }

  /** A callback promise is a phone matter and may not exceed the tenant's callback-within. */
  private void checkCallback(String tenantId, TicketRules rules, String channel, OffsetDateTime due) {
    if (!"phone".equals(channel)) {
      throw JsonInput.invalid("callbackDueAt", "only on phone requests");
    }
    Instant now = clock.instant();
    if (due.toInstant().isBefore(now)) {
      throw JsonInput.invalid("callbackDueAt", "a time in the future");
    }
    rules.callbackWithin().flatMap(w -> latest(tenantId, rules, now, w)).ifPresent(latest -> {
      if (due.toInstant().isAfter(latest)) {
        throw OtklikException.badRequest("ticket.callback-too-late", latest.atZone(rules.zone()).toOffsetDateTime().toString());
      }
    });
  }

  /**
   * The latest instant of a limit a person states by hand ("within 3 working-days" of
   * {@code start}): on the tenant's business calendar, holidays and shortened days included, where
   * the source has one; otherwise {@link DayArithmetic}'s rough Monday-to-Friday count. Empty
   * when no limit can be computed (by agreement; working hours without a calendar).
   */
  private Optional<Instant> latest(String tenantId, TicketRules rules, Instant start, SlaDuration within) {
    Optional<BusinessCalendar> calendar = tenants.calendar(tenantId);
    if (calendar.isPresent()) {
      List<Release> releases = tenants.tenant(tenantId).map(TenantConfig::releases).orElse(List.of());
      return new DeadlineCalculator(calendar.get(), releases).compute(within, start).dueAt();
    }
    return DayArithmetic.latest(start, within, rules.zone());
  }

  /** The tenant's SLA clocks, or null where the source has no typed config or calendar (then no deadlines). */
  private SlaClocks sla(String tenantId) {
    Optional<TenantConfig> config = tenants.tenant(tenantId);
    Optional<BusinessCalendar> calendar = tenants.calendar(tenantId);
    if (config.isEmpty() || calendar.isEmpty()) {
      return null;
    }
    return new SlaClocks(config.get().sla(), new DeadlineCalculator(calendar.get(), config.get().releases()),
        config.get().workflow().timers());
  }

  /**
   * The deadlines as the API shows them. Staff get everything, with the business time left
   * (computed now) and, if {@code explained}, the explanation; customers get each target's type,
   * side, status and dates (the explanation is internal reasoning and is left out).
   */
  private JsonArray deadlines(List<TicketDeadline> rows, Optional<BusinessCalendar> calendar, boolean staff,
      boolean explained) {
    Instant now = clock.instant();
    JsonArray out = new JsonArray();
    for (TicketDeadline row : rows) {
      SlaClock c = row.clock();
      JsonObject d = new JsonObject().put("target", c.targetId()).put("type", ConfigId.of(c.type()))
          .put("side", ConfigId.of(c.side())).put("duration", c.duration().toString())
          .put("status", ConfigId.of(c.status())).put("startedAt", str(c.startedAt()))
          .put("dueAt", str(c.dueAt())).put("warnAt", str(c.warnAt())).put("metAt", str(c.metAt()))
          .put("breachedAt", str(c.breachedAt()));
      if (staff) {
        Long remaining = calendar.flatMap(cal -> SlaClocks.remaining(c, cal, now)).map(Duration::getSeconds)
            .orElse(null);
        d.put("cell", c.cellId()).put("slaVersion", row.slaVersion()).put("pausedAt", str(c.pausedAt()))
            .put("pausedSeconds", c.pausedTotal().getSeconds()).put("remainingWorkingSeconds", remaining);
        if (explained) {
          d.put("explanation", new JsonArray(c.explanation()));
        }
      }
      out.add(d);
    }
    return out;
  }

  /** The version in If-Match ({@code "3"}, {@code W/"3"} or {@code 3}); 428 when required and missing. */
  private static Integer ifMatch(RoutingContext ctx, boolean required) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null) {
      if (required) {
        throw new OtklikException(428, "request.if-match-required");
      }
      return null;
    }
    var m = ETAG.matcher(header.strip());
    if (!m.matches()) {
      throw new OtklikException(412, "request.if-match-invalid", header.strip());
    }
    return Integer.parseInt(m.group(2));
  }

  private void signal(String tenantId, TicketStore.Change<?> change) {
    // After commit. The event row rides along (EventSignal) so gateways need not read it back.
    vertx.eventBus().publish(EventBusAddresses.tenantEvents(tenantId), EventSignal.message(change));
  }

  private static void sendTicket(RoutingContext ctx, int status, Ticket t, TicketRules rules) {
    ctx.response().putHeader("ETag", "\"" + t.version() + "\"");
    IdempotencyHandler.respond(ctx, status, toJson(t, rules));
  }

  private static JsonObject toJson(Ticket t, TicketRules rules) {
    String status = ConfigId.of(t.status());
    return new JsonObject().put("number", t.number()).put("status", status)
        .put("statusLabel", rules.statusLabel(status)).put("channel", t.channel()).put("kind", t.kind())
        .put("category", t.category()).put("priority", t.priority()).put("severity", t.severity())
        .put("service", t.service()).put("subject", t.subject()).put("description", t.description())
        .put("form", t.form()).put("organisationId", str(t.organisationId()))
        .put("requesterId", str(t.requesterId())).put("createdBy", str(t.createdBy()))
        .put("assigneeId", str(t.assigneeId())).put("plannedDate", str(t.plannedDate()))
        .put("callbackDueAt", str(t.callbackDueAt())).put("configVersion", t.configVersion())
        .put("createdAt", str(t.createdAt())).put("updatedAt", str(t.updatedAt()))
        .put("version", t.version());
  }

  private static JsonObject comment(TicketStore.Comment c) {
    return new JsonObject().put("id", str(c.id())).put("authorId", str(c.authorId())).put("body", c.body())
        .put("internal", c.internal()).put("createdAt", str(c.createdAt()));
  }

  private static JsonObject attachment(TicketStore.Attachment a) {
    return new JsonObject().put("id", str(a.id())).put("fileName", a.fileName())
        .put("contentType", a.contentType()).put("sizeBytes", a.sizeBytes())
        .put("uploadedBy", str(a.uploadedBy())).put("createdAt", str(a.createdAt()));
  }

  private static JsonObject workLog(TicketStore.WorkLogEntry w) {
    return new JsonObject().put("id", str(w.id())).put("authorId", str(w.authorId())).put("minutes", w.minutes())
        .put("description", w.description()).put("createdAt", str(w.createdAt()));
  }

  private static JsonObject items(List<JsonObject> list) {
    return new JsonObject().put("items", new JsonArray(list));
  }

  /** Times as RFC 3339 UTC with seconds always present ({@code OffsetDateTime#toString} drops ":00"). */
  private static String str(Object value) {
    if (value instanceof Instant i) {
      return i.toString();
    }
    if (value instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    return value == null ? null : value.toString();
  }



  private static List<String> listParam(RoutingContext ctx, String name) {
    return ctx.queryParams().getAll(name).stream()
        .flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static UUID uuidParam(RoutingContext ctx, String name) {
    String raw = ctx.queryParams().get(name);
    try {
      return raw == null ? null : UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw OtklikException.badRequest("ticket.filter-invalid", name, raw);
    }
  }

  private static OffsetDateTime instantParam(RoutingContext ctx, String name) {
    String raw = ctx.queryParams().get(name);
    try {
      return raw == null ? null : OffsetDateTime.parse(raw);
    } catch (DateTimeParseException e) {
      throw OtklikException.badRequest("ticket.filter-invalid", name, raw);
    }
  }
}
