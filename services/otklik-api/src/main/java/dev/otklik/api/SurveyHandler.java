package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.OtklikException;
import dev.otklik.core.satisfaction.SurveyTokens;
import dev.otklik.core.satisfaction.Surveys;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.ticket.TicketWorkflow;
import dev.otklik.store.SurveyStore;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

/**
 * Customer-satisfaction surveys ({@link SurveyStore}).
 *
 * <p><b>By the link, without signing in</b> ({@link #PUBLIC}): the token in the mailed link is
 * the survey, its tenant and its expiry, signed ({@link SurveyTokens}); the tenant it names is the
 * tenant whose row-level security the lookup runs under, so a link only ever reaches its own
 * tenant's survey. {@code GET} shows what the survey page needs (the tenant's name, the request's
 * number and subject, the question, the 1-5 scale); {@code POST {"rating": 1..5, "comment"}}
 * answers it once. Both count against the per-caller and per-tenant rate limits, with the survey
 * as the caller.
 *
 * <p><b>Signed in</b> ({@link #OF_REQUEST}, behind the guard): {@code GET} lists the request's
 * surveys (a customer sees their own, staff all); {@code POST} answers the requester's newest
 * survey from the portal, under the same single-use rule.
 *
 * <p>Refusals: 404 {@code survey.link-invalid} for a garbled, truncated or altered link (or one of
 * an unknown or disabled tenant), 410 {@code survey.link-expired} past its expiry or when a later
 * closing replaced it, 409 {@code survey.already-answered} once answered (nothing changes), 400
 * {@code request.field-invalid} for a rating outside 1-5 or a comment over 2000 characters, 404
 * {@code survey.not-found} for a request without a survey for the caller, 403
 * {@code survey.not-recipient} for anyone but the requester, 503 {@code survey.unavailable} on a
 * node without a key to sign links.
 *
 * <p>The answer is an internal {@code satisfaction-rated} event: staff see it in the history and
 * tools get it as a webhook, but the other people of the customer's organisation, who can read
 * the request, do not see one person's rating of the service.
 */
public final class SurveyHandler {

  public static final String PUBLIC = "/api/v1/surveys/:token";
  public static final String OF_REQUEST = TicketHandler.BASE + "/:number/satisfaction";
  private static final Set<String> ANSWER_KEYS = Set.of("rating", "comment");

  private final Vertx vertx;
  private final TenantSource tenants;
  private final SurveyStore store;
  private final TicketStore tickets;
  private final RateLimitHandler limits;
  private final Clock clock;

  /** @param store null on a node that cannot sign links: every route answers 503 */
  public SurveyHandler(Vertx vertx, TenantSource tenants, SurveyStore store, TicketStore tickets,
      RateLimitHandler limits, Clock clock) {
    this.vertx = vertx;
    this.tenants = tenants;
    this.store = store;
    this.tickets = tickets;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * The node's survey store: links signed with a key derived from the access-token secret (HS256),
   * or from the private key (RS256); null without either (no surveys are written then).
   */
  public static SurveyStore store(ApiOptions options, TenantSource tenants, TenantTransactions tx) {
    SurveyTokens tokens = tokens(options.jwt());
    if (tokens == null) {
      return null;
    }
    return new SurveyStore(tx, options.clock(), id -> tenants.tenant(id).flatMap(c -> c.satisfaction()
        .filter(Surveys::runs)
        .map(s -> new SurveyStore.Settings(s.linkValidity(), c.calendar().timeZone()))), tokens, options.linkBase());
  }

  /** The link key, derived (never the signing key itself); null when this node holds no secret. */
  static SurveyTokens tokens(JwtKeys jwt) {
    if (jwt == null || jwt.keys().isEmpty()) {
      return null;
    }
    if ("HS256".equals(jwt.algorithm())) {
      return SurveyTokens.derivedFrom(jwt.keys().get(0).getBuffer().getBytes());
    }
    // RS256: the second key is the private one; a verify-only node (public key alone) cannot sign
    return jwt.keys().size() > 1 ? SurveyTokens.derivedFrom(jwt.keys().get(1).getBuffer().getBytes()) : null;
  }

  /** {@code GET /api/v1/surveys/:token}: what the survey page shows. */
  public void view(RoutingContext ctx) {
    SurveyTokens.Claims claims = claims(ctx);
    if (!limits.admit(ctx, claims.tenantId(), "survey:" + claims.surveyId())) {
      return;
    }
    store.find(claims.tenantId(), claims.surveyId())
        .map(found -> open(claims, found.orElseThrow(SurveyHandler::invalid)))
        .onSuccess(s -> HealthHandler.json(ctx, 200, new JsonObject()
            .put("tenant", new JsonObject().put("id", claims.tenantId()).put("name", tenantName(claims.tenantId())))
            .put("request", new JsonObject().put("number", s.number()).put("subject", s.subject()))
            .put("question", text(question(claims.tenantId())))
            .put("scale", scale())
            .put("state", "open")
            .put("expiresAt", s.expiresAt().toInstant().toString())))
        .onFailure(ctx::fail);
  }

  /** {@code POST /api/v1/surveys/:token} {@code {"rating": 1..5, "comment": "..."}}: answers once. */
  public void answerByLink(RoutingContext ctx) {
    SurveyTokens.Claims claims = claims(ctx);
    if (!limits.admit(ctx, claims.tenantId(), "survey:" + claims.surveyId())) {
      return;
    }
    Answer answer = answer(ctx);
    // The row's expires_at is the link's (both whole seconds, written together), and the one
    // conditional UPDATE checks it, so a lapsed link changes nothing and answers 410.
    store.answer(claims.tenantId(), claims.surveyId(), answer.rating(), answer.comment(), "link")
        .recover(e -> Future.failedFuture(e instanceof OtklikException p && "survey.not-found".equals(p.code())
            ? invalid() : e))
        .onSuccess(outcome -> answered(ctx, claims.tenantId(), outcome))
        .onFailure(ctx::fail);
  }

  /** {@code GET .../requests/:number/satisfaction}: the request's surveys (a customer's own; all for staff). */
  public void ofRequest(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    requireStore();
    boolean staff = TicketWorkflow.isStaff(me.role());
    OffsetDateTime now = now();
    ticket(me, ctx.pathParam("number"))
        .compose(t -> store.ofTicket(me.tenantId(), t.id()))
        .onSuccess(list -> {
          JsonArray items = new JsonArray();
          list.stream().filter(s -> staff || s.recipientId().equals(me.userId()))
              .forEach(s -> items.add(json(s, now, staff)));
          HealthHandler.json(ctx, 200, new JsonObject().put("items", items)
              .put("question", text(question(me.tenantId()))).put("scale", scale()));
        })
        .onFailure(ctx::fail);
  }

  /** {@code POST .../requests/:number/satisfaction} {@code {"rating", "comment"}}: the requester answers in the portal. */
  public void answerSignedIn(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    requireStore();
    if (TicketWorkflow.isStaff(me.role())) {
      throw OtklikException.forbidden("survey.not-recipient");
    }
    Answer answer = answer(ctx);
    ticket(me, ctx.pathParam("number"))
        .compose(t -> store.ofTicket(me.tenantId(), t.id()))
        .compose(list -> {
          if (list.isEmpty()) {
            return Future.failedFuture(OtklikException.notFound("survey.not-found"));
          }
          SurveyStore.Survey newest = list.get(0);
          if (!newest.recipientId().equals(me.userId())) {
            return Future.failedFuture(OtklikException.forbidden("survey.not-recipient"));
          }
          return store.answer(me.tenantId(), newest.id(), answer.rating(), answer.comment(), "portal");
        })
        .onSuccess(outcome -> answered(ctx, me.tenantId(), outcome))
        .onFailure(ctx::fail);
  }

  private record Answer(int rating, String comment) {}

  /** The body: a whole rating 1-5 (400 otherwise, before anything is read or written) and an optional comment. */
  private static Answer answer(RoutingContext ctx) {
    JsonInput in = JsonInput.of(ctx, ANSWER_KEYS);
    int rating = in.integer("rating", Surveys.MIN_RATING, Surveys.MAX_RATING);
    return new Answer(rating, in.text("comment", Surveys.MAX_COMMENT_CHARS));
  }

  /** 200 with the stored answer when this call answered; else why nothing changed (409, 410). */
  private void answered(RoutingContext ctx, String tenantId, SurveyStore.Outcome outcome) {
    if (!outcome.answered()) {
      SurveyStore.Survey s = outcome.survey();
      ctx.fail(s.answeredAt() != null ? alreadyAnswered() : expired());
      return;
    }
    TicketStore.Change<SurveyStore.Survey> change = outcome.change();
    // After commit: only a signal; realtime gateways read the event itself from ticket_event.
    vertx.eventBus().publish(EventBusAddresses.tenantEvents(tenantId), new JsonObject()
        .put("sequence", change.sequence()).put("type", change.eventType()).put("public", change.isPublic()));
    SurveyStore.Survey s = outcome.survey();
    HealthHandler.json(ctx, 200, new JsonObject().put("state", "answered").put("rating", s.rating())
        .put("comment", s.comment()).put("answeredAt", s.answeredAt().toInstant().toString()));
  }

  /** The claims of a genuine link of an enabled tenant; 404 {@code survey.link-invalid} otherwise. */
  private SurveyTokens.Claims claims(RoutingContext ctx) {
    requireStore();
    SurveyTokens.Claims claims = store.tokens().verify(ctx.pathParam("token")).orElseThrow(SurveyHandler::invalid);
    if (tenants.config(claims.tenantId()).filter(c -> c.getBoolean("enabled", true)).isEmpty()) {
      throw invalid();
    }
    return claims;
  }

  /** The survey, if it can still be answered: 409 when answered, 410 when expired or withdrawn. */
  private SurveyStore.Survey open(SurveyTokens.Claims claims, SurveyStore.Survey s) {
    if (!s.expiresAt().toInstant().equals(claims.expiresAt())) {
      throw invalid(); // cannot happen with a genuine link; never trust a mismatch
    }
    return switch (s.state(now())) {
      case "answered" -> throw alreadyAnswered();
      case "open" -> s;
      default -> throw expired();
    };
  }

  private Future<Ticket> ticket(AccessClaims me, String number) {
    return tickets.find(me.tenantId(), TicketHandler.caller(me), number)
        .map(found -> found.orElseThrow(() -> OtklikException.notFound("ticket.not-found", number)));
  }

  private void requireStore() {
    if (store == null) {
      throw new OtklikException(503, "survey.unavailable");
    }
  }

  private LocalizedText question(String tenantId) {
    return Surveys.question(tenants.tenant(tenantId).flatMap(TenantConfig::satisfaction).orElse(null));
  }

  private Object tenantName(String tenantId) {
    Optional<JsonObject> config = tenants.config(tenantId);
    JsonObject name = config.map(c -> c.getJsonObject("identity", new JsonObject()).getJsonObject("name"))
        .orElse(null);
    return name != null ? name.copy() : new JsonObject().put("ru", tenantId);
  }

  private static JsonObject json(SurveyStore.Survey s, OffsetDateTime now, boolean staff) {
    JsonObject out = new JsonObject().put("id", s.id().toString()).put("state", s.state(now))
        .put("closedStatus", s.closedStatus()).put("createdAt", s.createdAt().toInstant().toString())
        .put("expiresAt", s.expiresAt().toInstant().toString())
        .put("answeredAt", s.answeredAt() == null ? null : s.answeredAt().toInstant().toString())
        .put("rating", s.rating()).put("comment", s.comment()).put("answeredVia", s.answeredVia());
    if (staff) {
      out.put("recipientId", s.recipientId().toString())
          .put("assigneeId", s.assigneeId() == null ? null : s.assigneeId().toString());
    }
    return out;
  }

  private static JsonObject text(LocalizedText t) {
    return new JsonObject().put("ru", t.ru()).put("en", t.en().orElse(null));
  }

  private static JsonObject scale() {
    return new JsonObject().put("min", Surveys.MIN_RATING).put("max", Surveys.MAX_RATING);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static OtklikException invalid() {
    return OtklikException.notFound("survey.link-invalid");
  }

  private static OtklikException expired() {
    return new OtklikException(410, "survey.link-expired");
  }

  private static OtklikException alreadyAnswered() {
    return new OtklikException(409, "survey.already-answered");
  }
}
