package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.AuthHandler;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.store.RefreshTokenStore;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.UserStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/** Builds the node's HTTP routes. Handlers are method references on one object per concern. */
public final class ApiRouter {

  private ApiRouter() {}

  public static Router create(Vertx vertx, ApiOptions options, TenantSource tenants, Pool pool) {
    ProblemMessages messages = new ProblemMessages();
    ProblemHandler problems = new ProblemHandler(messages);
    HealthHandler health = new HealthHandler(pool, tenants::loaded);
    TenantCatalogueHandler catalogue = new TenantCatalogueHandler(tenants);
    AdminHandler admin = new AdminHandler(tenants, options.adminToken());
    OpenApiHandler openApi = new OpenApiHandler();

    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    router.route().handler(BodyHandler.create(false).setBodyLimit(options.bodyLimitBytes()));

    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    router.get("/api/v1/openapi.json").handler(openApi::document);
    router.get("/api/v1/tenants").handler(catalogue::list);
    router.get("/api/v1/tenants/:tenantId").handler(catalogue::get);
    router.get("/api/v1/tenants/:tenantId/logo").handler(catalogue::logo);
    AuthHandler auth = authHandler(vertx, options, pool);
    router.post("/api/v1/tenants/:tenantId/auth/login")
        .handler(catalogue::requireEnabled).handler(auth == null ? ApiRouter::authDisabled : auth::login);
    router.post("/api/v1/tenants/:tenantId/auth/refresh")
        .handler(catalogue::requireEnabled).handler(auth == null ? ApiRouter::authDisabled : auth::refresh);
    router.route(HttpMethod.POST, "/api/v1/admin/*").handler(admin::requireAdmin);
    router.post("/api/v1/admin/tenants/reload").handler(admin::reloadTenants);

    // Everything below is tenant-scoped and needs a token for that tenant. Register public
    // tenant routes above this line, protected ones below it.
    router.route("/api/v1/tenants/:tenantId/*").handler(catalogue::requireEnabled)
        .handler(auth == null ? ApiRouter::authDisabled : new AuthGuard(auth.tokens())::requireTenantUser);

    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(problems::handle);
    return router;
  }

  /** Sign-in needs signing keys; without them there is no handler, and its routes answer 503. */
  private static AuthHandler authHandler(Vertx vertx, ApiOptions options, Pool pool) {
    if (options.jwt() == null) {
      return null;
    }
    TenantTransactions tx = new TenantTransactions(pool);
    return new AuthHandler(vertx, new AccessTokens(vertx, options.jwt()), new PasswordHasher(),
        new UserStore(tx), new RefreshTokenStore(tx, Clock.systemUTC(), options.refreshTtl()));
  }

  private static void authDisabled(RoutingContext ctx) {
    ctx.fail(new OtklikException(503, "auth.disabled"));
  }
}
