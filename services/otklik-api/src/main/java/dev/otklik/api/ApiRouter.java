package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.AuthHandler;
import dev.otklik.api.auth.SessionRevocations;
import dev.otklik.api.auth.Sessions;
import dev.otklik.api.oidc.OidcHandler;
import dev.otklik.api.auth.SignInChallenges;
import dev.otklik.api.auth.SignInThrottle;
import dev.otklik.api.auth.TwoFactorKeys;
import dev.otklik.api.auth.TwoFactorSignIn;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.store.ApiKeyStore;
import dev.otklik.store.IdempotencyStore;
import dev.otklik.mail.TenantMail;
import dev.otklik.mail.intake.MailIntake;
import dev.otklik.store.MailStore;
import dev.otklik.store.MassNoticeStore;
import dev.otklik.store.OrganisationStore;
import dev.otklik.store.PasswordResetStore;
import dev.otklik.store.RefreshTokenStore;
import dev.otklik.store.SearchStore;
import dev.otklik.store.SlaReportStore;
import dev.otklik.store.SurveyStore;
import dev.otklik.store.TicketStore;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.SessionStore;
import dev.otklik.store.SignInEventStore;
import dev.otklik.store.TwoFactorStore;
import dev.otklik.store.UserStore;
import dev.otklik.store.WatcherStore;
import dev.otklik.store.WebhookStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

/** Builds the node's HTTP routes. Handlers are method references on one object per concern. */
public final class ApiRouter {

  private ApiRouter() {}

  public static Router create(Vertx vertx, ApiOptions options, TenantSource tenants, Pool pool) {
    return create(vertx, options, tenants, pool, RouteContributor.NONE);
  }

  /** As {@link #create(Vertx, ApiOptions, TenantSource, Pool)}, plus the routes {@code extra} adds. */
  public static Router create(Vertx vertx, ApiOptions options, TenantSource tenants, Pool pool,
      RouteContributor extra) {
    ProblemMessages messages = new ProblemMessages();
    ProblemHandler problems = new ProblemHandler(messages);
    HealthHandler health = new HealthHandler(pool, tenants::loaded, vertx);
    TenantCatalogueHandler catalogue = new TenantCatalogueHandler(tenants);
    AdminHandler admin = new AdminHandler(tenants, options.adminToken());
    OpenApiHandler openApi = new OpenApiHandler();

    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    // Attachments may exceed the JSON body limit: their upload route buffers up to its own limit,
    // and the general body handler below then lets the request pass.
    router.post(TicketHandler.ATTACHMENTS)
        .handler(BodyHandler.create(false).setBodyLimit(TicketHandler.MAX_ATTACHMENT_BYTES));
    router.post(MailHandler.INBOUND)
        .handler(BodyHandler.create(false).setBodyLimit(MailHandler.MAX_MESSAGE_BYTES));
    router.route().handler(BodyHandler.create(false).setBodyLimit(options.bodyLimitBytes()));

    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    router.get("/api/v1/openapi.json").handler(openApi::document);
    router.get("/api/v1/tenants").handler(catalogue::list);
    router.get("/api/v1/tenants/:tenantId").handler(catalogue::get);
    router.get("/api/v1/tenants/:tenantId/logo").handler(catalogue::logo);
    AuthHandler auth = authHandler(vertx, options, pool, tenants);
    router.post("/api/v1/tenants/:tenantId/auth/login")
        .handler(catalogue::requireEnabled).handler(auth == null ? ApiRouter::authDisabled : auth::login);
    router.post("/api/v1/tenants/:tenantId/auth/refresh")
        .handler(catalogue::requireEnabled).handler(auth == null ? ApiRouter::authDisabled : auth::refresh);
    PasswordResetHandler resets = new PasswordResetHandler(vertx, new PasswordHasher(),
        new PasswordResetStore(pool == null ? null : new TenantTransactions(pool), options.clock()), options.linkBase(),
        auth == null ? null : auth.sessions().revocations());
    router.post("/api/v1/tenants/:tenantId/auth/password-reset")
        .handler(catalogue::requireEnabled).handler(resets::request);
    router.post("/api/v1/tenants/:tenantId/auth/password-reset/confirm")
        .handler(catalogue::requireEnabled).handler(resets::confirm);
    twoFactorSignIn(router, catalogue, auth == null ? null : auth.twoFactor());
    // Single sign-on with the tenant's OpenID Connect providers, and the sign-in methods (public).
    OidcHandler.routes(router, vertx, options, tenants, pool, catalogue,
        auth == null ? null : auth.sessions());
    router.route(HttpMethod.POST, "/api/v1/admin/*").handler(admin::requireAdmin);
    router.post("/api/v1/admin/tenants/reload").handler(admin::reloadTenants);

    // Everything below is tenant-scoped and needs a token for that tenant. Register public
    // tenant routes above this line, protected ones below it.
    // Then every tenant call is rate-limited per caller and per tenant. Put idempotency::handle
    // in front of POST routes that create things (see IdempotencyHandler).
    TenantTransactions access = pool == null ? null : new TenantTransactions(pool);
    IdempotencyHandler idempotency = new IdempotencyHandler(
        new IdempotencyStore(access, options.clock(), IdempotencyStore.DEFAULT_TTL));
    RateLimitHandler rateLimits = RateLimitHandler.forNode(
        vertx, options.rateLimitPerUserPerMinute(), options.rateLimitPerTenantPerMinute());
    router.route("/api/v1/tenants/:tenantId/*").handler(catalogue::requireEnabled)
        .handler(auth == null ? ApiRouter::authDisabled
            : new AuthGuard(auth.tokens(), new ApiKeyStore(access, options.clock()), auth.sessions().revocations(),
                auth.twoFactor()::signIn)::requireTenantUser)
        .handler(rateLimits::limit);
    // The busiest routes first: a request is matched against the routes in order, one regular
    // expression each, and the queue's calls should not pay for the rarer routes before them.
    // A closing writes its satisfaction survey in the same transaction (SurveyHandler, SurveyStore).
    SurveyStore surveys = SurveyHandler.store(options, tenants, access);
    TicketStore ticketStore = new TicketStore(access, options.clock(), surveys);
    tickets(router, new TicketHandler(vertx, tenants, ticketStore, options.clock()), idempotency);
    watchers(router, new WatcherHandler(vertx, new WatcherStore(access, options.clock())));
    twoFactor(router, auth == null ? null
        : new TwoFactorHandler(vertx, new PasswordHasher(), new UserStore(access), auth.twoFactor()));
    peopleAndAccess(router, vertx, options, access, idempotency, catalogue, auth == null ? null : auth.sessions());
    sessions(router, auth == null ? null
        : new SessionHandler(vertx, auth.sessions(), new PasswordHasher(), new UserStore(access)));
    MassNoticeHandler notices = new MassNoticeHandler(new MassNoticeStore(access, options.clock()));
    router.post("/api/v1/tenants/:tenantId/notices").handler(idempotency::handle).handler(notices::publish);
    router.get("/api/v1/tenants/:tenantId/notices").handler(notices::list);
    router.get("/api/v1/tenants/:tenantId/notices/:noticeId").handler(notices::get);
    router.post("/api/v1/tenants/:tenantId/notices/:noticeId/read").handler(notices::markRead);
    router.get("/api/v1/tenants/:tenantId/search").handler(new SearchHandler(new SearchStore(access))::search);
    mail(router, vertx, options, tenants, access);
    webhooks(router, vertx, options, access, idempotency);

    surveys(router, new SurveyHandler(vertx, tenants, surveys, ticketStore, rateLimits, options.clock()));
    router.get("/api/v1/tenants/:tenantId/reports/sla").handler(new SlaReportHandler(tenants,
        new SlaReportStore(pool == null ? null : new TenantTransactions(pool)))::sla);

    extra.addRoutes(vertx, router);
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(problems::handle);
    return router;
  }

  /** Sign-in needs signing keys; without them there is no handler, and its routes answer 503. */
  private static AuthHandler authHandler(Vertx vertx, ApiOptions options, Pool pool, TenantSource tenants) {
    if (options.jwt() == null) {
      return null;
    }
    TenantTransactions tx = new TenantTransactions(pool);
    RefreshTokenStore refreshTokens = new RefreshTokenStore(tx, options.clock(), options.refreshTtl());
    Sessions sessions = new Sessions(new AccessTokens(vertx, options.jwt()),
        new SessionStore(tx, refreshTokens, options.clock()),
        SessionRevocations.of(vertx, options.jwt().accessTtl(), options.clock()));
    UserStore users = new UserStore(tx);
    TwoFactorSignIn twoFactor = new TwoFactorSignIn(sessions, users, new TwoFactorStore(tx, options.clock()),
        new SignInThrottle(new SignInEventStore(tx, options.clock()), SignInThrottle.Limits.DEFAULTS, options.clock()),
        new SignInChallenges(vertx, options.jwt()), tenants, TwoFactorKeys.from(options.jwt()), options.clock());
    return new AuthHandler(vertx, sessions, new PasswordHasher(), users, refreshTokens, tenants, twoFactor);
  }

  /** The second step of a password sign-in, and enrolling when the tenant requires it (public, with a challenge). */
  private static void twoFactorSignIn(Router router, TenantCatalogueHandler catalogue, TwoFactorSignIn twoFactor) {
    String base = "/api/v1/tenants/:tenantId/auth";
    router.post(base + "/login/two-factor").handler(catalogue::requireEnabled)
        .handler(twoFactor == null ? ApiRouter::authDisabled : twoFactor::completeLogin);
    router.post(base + "/two-factor/enrol").handler(catalogue::requireEnabled)
        .handler(twoFactor == null ? ApiRouter::authDisabled : twoFactor::enrol);
    router.post(base + "/two-factor/enrol/confirm").handler(catalogue::requireEnabled)
        .handler(twoFactor == null ? ApiRouter::authDisabled : twoFactor::confirmEnrolment);
  }

  /**
   * The caller's own second factor, the sign-in log and a person's reset for tenant admins
   * (behind the guard). Registered before the profile, whose {@code twoFactor} status it adds.
   */
  private static void twoFactor(Router router, TwoFactorHandler twoFactor) {
    String base = "/api/v1/tenants/:tenantId";
    if (twoFactor != null) {
      router.get(base + "/me").handler(twoFactor::meStatus);
    }
    router.post(base + "/me/two-factor").handler(twoFactor == null ? ApiRouter::authDisabled : twoFactor::start);
    router.post(base + "/me/two-factor/confirm").handler(twoFactor == null ? ApiRouter::authDisabled : twoFactor::confirm);
    router.delete(base + "/me/two-factor").handler(twoFactor == null ? ApiRouter::authDisabled : twoFactor::disable);
    router.post(base + "/me/two-factor/recovery-codes")
        .handler(twoFactor == null ? ApiRouter::authDisabled : twoFactor::renewRecoveryCodes);
    router.get(base + "/security/sign-in-events").handler(twoFactor == null ? ApiRouter::authDisabled : twoFactor::events);
    router.post(base + "/users/:userId/two-factor/reset")
        .handler(twoFactor == null ? ApiRouter::authDisabled : twoFactor::reset);
  }

  /** The caller's sessions and password; sessions of a tenant's people for its admins (behind the guard). */
  private static void sessions(Router router, SessionHandler sessions) {
    String base = "/api/v1/tenants/:tenantId";
    java.util.function.Function<io.vertx.core.Handler<RoutingContext>, io.vertx.core.Handler<RoutingContext>> or503 =
        handler -> sessions == null ? ApiRouter::authDisabled : handler;
    router.get(base + "/me/sessions").handler(or503.apply(ctx -> sessions.mine(ctx)));
    router.post(base + "/me/sessions/revoke-others").handler(or503.apply(ctx -> sessions.revokeOthers(ctx)));
    router.delete(base + "/me/sessions/:sessionId").handler(or503.apply(ctx -> sessions.revokeMine(ctx)));
    router.post(base + "/me/sign-out").handler(or503.apply(ctx -> sessions.signOut(ctx)));
    router.post(base + "/me/password").handler(or503.apply(ctx -> sessions.changePassword(ctx)));
    router.get(base + "/users/:userId/sessions").handler(or503.apply(ctx -> sessions.ofUser(ctx)));
    router.post(base + "/users/:userId/sessions/revoke").handler(or503.apply(ctx -> sessions.revokeOfUser(ctx)));
  }

  /** Organisations, users, the caller's profile and API keys of a tenant (behind the guard). */
  private static void peopleAndAccess(Router router, Vertx vertx, ApiOptions options, TenantTransactions tx,
      IdempotencyHandler idempotency, TenantCatalogueHandler catalogue, Sessions sessions) {
    String base = "/api/v1/tenants/:tenantId";
    OrganisationHandler organisations = new OrganisationHandler(new OrganisationStore(tx));
    UserHandler users = new UserHandler(vertx, new PasswordHasher(), new UserStore(tx),
        new RefreshTokenStore(tx, options.clock(), options.refreshTtl()), options.clock()).withSessions(sessions);
    ApiKeyHandler apiKeys = new ApiKeyHandler(new ApiKeyStore(tx, options.clock()));
    router.get(base + "/me").handler(users::me);
    router.get(base + "/organisations").handler(organisations::list);
    router.post(base + "/organisations").handler(idempotency::handle).handler(organisations::create);
    router.get(base + "/organisations/:organisationId").handler(organisations::get);
    router.patch(base + "/organisations/:organisationId").handler(organisations::update);
    router.get(base + "/users").handler(users::list);
    router.post(base + "/users").handler(idempotency::handle).handler(users::create);
    router.get(base + "/users/:userId").handler(users::get);
    router.post(base + "/users/:userId/disable").handler(users::disable);
    router.post(base + "/users/:userId/enable").handler(users::enable);
    router.get(base + "/users/:userId/organisations").handler(users::organisations);
    router.put(base + "/users/:userId/organisations").handler(users::setOrganisations);
    router.get(base + "/api-keys").handler(apiKeys::list);
    router.post(base + "/api-keys").handler(idempotency::handle).handler(apiKeys::create);
    router.post(base + "/api-keys/:keyId/revoke").handler(apiKeys::revoke);
    // A new tenant's first administrator, created by the platform admin (admin token).
    router.post("/api/v1/admin/tenants/:tenantId/users").handler(catalogue::requireEnabled)
        .handler(AuthGuard::asPlatformAdmin).handler(users::create);
  }

  /** Raw-MIME intake, the inbound log and quarantine, mail preferences (behind the guard). */
  private static void mail(Router router, Vertx vertx, ApiOptions options, TenantSource tenants,
      TenantTransactions tx) {
    MailStore store = new MailStore(tx, options.clock());
    MailHandler mail = new MailHandler(new MailIntake(vertx, store,
        id -> tenants.tenant(id).map(TenantMail::of), options.clock())
        .sla(id -> tenants.tenant(id).flatMap(c -> tenants.calendar(id).map(cal -> new dev.otklik.core.sla.SlaClocks(
            c.sla(), new dev.otklik.core.time.DeadlineCalculator(cal, c.releases()), c.workflow().timers())))
            .orElse(null)), store);
    router.post(MailHandler.INBOUND).handler(mail::inbound);
    router.get(MailHandler.INBOUND).handler(mail::list);
    router.get(MailHandler.INBOUND + "/:mailId").handler(mail::download);
    router.post(MailHandler.INBOUND + "/:mailId/retry").handler(mail::retry);
    router.get("/api/v1/tenants/:tenantId/me/mail-preferences").handler(mail::preferences);
    router.put("/api/v1/tenants/:tenantId/me/mail-preferences").handler(mail::setPreferences);
  }

  /** Webhook endpoints, their deliveries, log, redelivery and test event (tenant admins; behind the guard). */
  private static void webhooks(Router router, Vertx vertx, ApiOptions options, TenantTransactions tx,
      IdempotencyHandler idempotency) {
    String base = WebhookHandler.BASE;
    WebhookHandler hooks = new WebhookHandler(vertx, new WebhookStore(tx, options.clock()),
        options.webhooksAllowLoopback());
    router.post(base).handler(idempotency::handle).handler(hooks::create);
    router.get(base).handler(hooks::list);
    router.get(base + "/:webhookId").handler(hooks::get);
    router.patch(base + "/:webhookId").handler(hooks::update);
    router.delete(base + "/:webhookId").handler(hooks::delete);
    router.post(base + "/:webhookId/rotate-secret").handler(hooks::rotateSecret);
    router.post(base + "/:webhookId/test").handler(hooks::sendTest);
    router.get(base + "/:webhookId/deliveries").handler(hooks::deliveries);
    router.post(base + "/:webhookId/deliveries/:deliveryId/redeliver").handler(hooks::redeliver);
    router.post(base + "/:webhookId/redeliver").handler(hooks::redeliverRange);
    router.get(base + "/:webhookId/attempts").handler(hooks::attempts);
  }

  /** Requests («обращения»), addressed by their human number (behind the guard). */
  /** Satisfaction surveys: by the mailed link without signing in, and on a request's page (behind the guard). */
  private static void surveys(Router router, SurveyHandler surveys) {
    router.get(SurveyHandler.PUBLIC).handler(surveys::view);
    router.post(SurveyHandler.PUBLIC).handler(surveys::answerByLink);
    router.get(SurveyHandler.OF_REQUEST).handler(surveys::ofRequest);
    router.post(SurveyHandler.OF_REQUEST).handler(surveys::answerSignedIn);
  }

  private static void tickets(Router router, TicketHandler tickets, IdempotencyHandler idempotency) {
    String base = TicketHandler.BASE;
    router.post(base).handler(idempotency::handle).handler(tickets::create);
    router.get(base).handler(tickets::list);
    router.get(base + "/:number").handler(tickets::get);
    router.patch(base + "/:number").handler(tickets::patch);
    router.post(base + "/:number/transitions").handler(tickets::transition);
    router.post(base + "/:number/form").handler(tickets::submitForm);
    router.post(base + "/:number/callback").handler(tickets::recordCallback);
    router.post(base + "/:number/comments").handler(idempotency::handle).handler(tickets::addComment);
    router.get(base + "/:number/comments").handler(tickets::listComments);
    router.post(TicketHandler.ATTACHMENTS).handler(idempotency::handle).handler(tickets::addAttachment);
    router.get(TicketHandler.ATTACHMENTS).handler(tickets::listAttachments);
    router.get(TicketHandler.ATTACHMENTS + "/:attachmentId").handler(tickets::download);
    router.post(base + "/:number/worklog").handler(idempotency::handle).handler(tickets::addWorkLog);
    router.get(base + "/:number/worklog").handler(tickets::listWorkLog);
    router.get(base + "/:number/events").handler(tickets::events);
  }

  /** Watchers of a request (behind the guard). */
  private static void watchers(Router router, WatcherHandler watchers) {
    router.get(WatcherHandler.WATCHERS).handler(watchers::list);
    router.post(WatcherHandler.WATCHERS).handler(watchers::add);
    router.delete(WatcherHandler.WATCHERS + "/:userId").handler(watchers::remove);
    router.get(WatcherHandler.CANDIDATES).handler(watchers::candidates);
  }

  private static void authDisabled(RoutingContext ctx) {
    ctx.fail(new OtklikException(503, "auth.disabled"));
  }
}
