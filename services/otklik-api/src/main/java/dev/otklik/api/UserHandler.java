package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.api.auth.Permissions;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.PasswordHasher;
import dev.otklik.core.auth.Role;
import dev.otklik.store.ApiKey;
import dev.otklik.store.ListQuery;
import dev.otklik.store.RefreshTokenStore;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import dev.otklik.store.UserStore.NewUser;
import dev.otklik.store.UserStore.UserFilter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.otklik.store.UserStore.Membership;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/tenants/:tenantId/users} and {@code .../me}: the tenant's people. Tenant admins
 * create, disable and enable accounts and set the organisations a person belongs to; vendor
 * staff (and API keys) read everyone of the tenant; a customer reads only the people of their own
 * organisations. Nobody ever gets a password hash.
 * Initial passwords are hashed on a worker thread: Argon2id is slow on purpose.
 */
public final class UserHandler {

  /** The same shape the schema's CHECK accepts, tested here first to give a clear problem. */
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final String[] LOCALES = {"ru", "en"};
  private static final Set<String> NEW_USER_KEYS =
      Set.of("email", "displayName", "role", "locale", "organisationId", "password");
  private static final int MAX_EMAIL = 320;
  private static final int MAX_DISPLAY_NAME = 200;
  /** Most organisations one person may belong to. */
  static final int MAX_ORGANISATIONS = 100;
  static final int MIN_PASSWORD_CHARS = 10;
  static final int MAX_PASSWORD_CHARS = 1024;

  private final Vertx vertx;
  private final PasswordHasher hasher;
  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final Clock clock;
  private dev.otklik.api.auth.Sessions sessions;

  public UserHandler(Vertx vertx, PasswordHasher hasher, UserStore users, RefreshTokenStore refreshTokens) {
    this(vertx, hasher, users, refreshTokens, Clock.systemUTC());
  }

  public UserHandler(Vertx vertx, PasswordHasher hasher, UserStore users, RefreshTokenStore refreshTokens,
      Clock clock) {
    this.vertx = vertx;
    this.hasher = hasher;
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.clock = clock;
  }

  /** {@code GET .../me}: the caller's own profile; for an API key, the key. */
  public void me(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    ApiKey key = AuthGuard.apiKey(ctx);
    if (key != null) {
      HealthHandler.json(ctx, 200, new JsonObject().put("kind", "api-key").put("id", key.id().toString())
          .put("name", key.name()).put("role", key.role().code()));
      return;
    }
    users.findById(caller.tenantId(), caller.userId())
        .compose(user -> user.isEmpty() || !user.get().enabled()
            ? Future.<JsonObject>failedFuture(new OtklikException(401, "auth.account-disabled"))
            : users.memberships(caller.tenantId(), caller.userId())
                .map(m -> json(user.get()).put("kind", "user").put("organisations", membershipsJson(m))))
        .onSuccess(me -> HealthHandler.json(ctx, 200, me.put("twoFactor", TwoFactorHandler.status(ctx))))
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET ...?offset=&limit=&q=&sort=&role=&organisationId=&enabled=}: a page of users; a
   * customer's list is always narrowed to the people of their own organisations, whatever they
   * ask for.
   */
  public void list(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Set<UUID> confined = Permissions.confinedToAll(caller);
    String organisationParam = ctx.queryParams().get("organisationId");
    UUID organisation = organisationParam == null ? null : JsonInput.id(organisationParam, "organisationId");
    if (confined != null && organisation != null && !confined.contains(organisation)) {
      // asking for another organisation's people: an empty page, as if it had none
      organisation = new UUID(0, 0);
    }
    UserFilter filter = new UserFilter(roleParam(ctx), organisation, enabledParam(ctx),
        confined != null && organisation == null ? confined : null);
    ListQuery query = OrganisationHandler.listQuery(ctx);
    users.list(caller.tenantId(), filter, query)
        .onSuccess(page -> HealthHandler.json(ctx, 200, OrganisationHandler.pageJson(query, page, UserHandler::json)))
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST ...}: tenant admin only. Body {@code email, displayName, role, organisationId
   * (customers), locale (ru|en), password (optional, 10 or more characters)}.
   */
  public void create(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    JsonInput in = JsonInput.of(ctx, NEW_USER_KEYS);
    String email = in.requiredText("email", MAX_EMAIL);
    if (!EMAIL.matcher(email).matches()) {
      throw OtklikException.badRequest("user.email-invalid", email);
    }
    String locale = Objects.requireNonNullElse(in.code("locale", LOCALES, l -> l), "ru");
    Role role = JsonInput.required(in.code("role", Role.values(), Role::code), "role");
    String displayName = in.requiredText("displayName", MAX_DISPLAY_NAME);
    UUID organisationId = in.uuid("organisationId");
    String password = in.verbatim("password");
    if (password != null && (password.length() < MIN_PASSWORD_CHARS || password.length() > MAX_PASSWORD_CHARS)) {
      throw OtklikException.badRequest("user.password-length", MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS);
    }
    Future<String> hash = password == null
        ? Future.succeededFuture(null)
        : vertx.executeBlocking(() -> hasher.hash(password));
    hash.compose(h -> users.create(caller.tenantId(), new NewUser(email, displayName, locale, h, role, organisationId)))
        .onSuccess(user -> {
          ctx.response().putHeader("Location", ctx.request().path() + "/" + user.id());
          IdempotencyHandler.respond(ctx, 201, json(user));
        })
        .onFailure(ctx::fail);
  }

  /** {@code GET .../:userId}: 404 for another tenant's user or, for a customer, another organisation's. */
  public void get(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    UUID id = JsonInput.pathId(ctx, "userId", "user.not-found");
    users.findById(caller.tenantId(), id)
        .onSuccess(user -> {
          if (user.isEmpty() || !Permissions.maySeeAnyOf(caller, user.get().organisationIds())) {
            ctx.fail(OtklikException.notFound("user.not-found", id));
            return;
          }
          HealthHandler.json(ctx, 200, json(user.get()));
        })
        .onFailure(ctx::fail);
  }

  /** {@code POST .../:userId/disable}: tenant admin only; also ends the user's sessions (refresh tokens). */
  public void disable(RoutingContext ctx) {
    setEnabled(ctx, false);
  }

  /** {@code POST .../:userId/enable}: tenant admin only. */
  public void enable(RoutingContext ctx) {
    setEnabled(ctx, true);
  }

  /** Ends sessions through {@code sessions}, so that every node drops them at once (not only refreshes). */
  public UserHandler withSessions(dev.otklik.api.auth.Sessions sessions) {
    this.sessions = sessions;
    return this;
  }

  private Future<?> endSessions(String tenantId, UUID userId) {
    return sessions != null
        ? sessions.revoke(tenantId, userId, null, null, dev.otklik.store.SessionStore.Reason.ACCOUNT_DISABLED)
        : refreshTokens.revokeAllForUser(tenantId, userId);
  }

  private void setEnabled(RoutingContext ctx, boolean enabled) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    UUID id = JsonInput.pathId(ctx, "userId", "user.not-found");
    if (!enabled && id.equals(caller.userId())) {
      throw new OtklikException(409, "user.cannot-disable-self");
    }
    users.setEnabled(caller.tenantId(), id, enabled)
        .compose(user -> user.isEmpty()
            ? Future.<UserAccount>failedFuture(OtklikException.notFound("user.not-found", id))
            : enabled
                ? Future.succeededFuture(user.get())
                : endSessions(caller.tenantId(), id).map(user.get()))
        .onSuccess(user -> HealthHandler.json(ctx, 200, json(user)))
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET .../:userId/organisations}: the person's organisations with names, the primary
   * first ({@code {items: [{id, name, primary}]}}). Staff read anyone's; a customer only their own.
   */
  public void organisations(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    UUID id = JsonInput.pathId(ctx, "userId", "user.not-found");
    if (!Permissions.isStaff(caller) && !id.equals(caller.userId())) {
      throw OtklikException.notFound("user.not-found", id);
    }
    users.findById(caller.tenantId(), id)
        .compose(user -> user.isEmpty() ? Future.<List<Membership>>failedFuture(OtklikException.notFound("user.not-found", id))
            : users.memberships(caller.tenantId(), id))
        .onSuccess(m -> HealthHandler.json(ctx, 200, new JsonObject().put("items", membershipsJson(m))))
        .onFailure(ctx::fail);
  }

  /**
   * {@code PUT .../:userId/organisations} {@code {"organisationIds": [...], "primaryOrganisationId"}}:
   * tenant admin only. Replaces the person's organisations; the primary is the one named, else the
   * current one if it stays, else the first. A customer keeps at least one. Takes effect in their
   * access token at the next sign-in or refresh (at most the token's lifetime).
   */
  public void setOrganisations(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    Permissions.requireRole(caller, Role.TENANT_ADMIN);
    UUID id = JsonInput.pathId(ctx, "userId", "user.not-found");
    JsonInput in = JsonInput.of(ctx, Set.of("organisationIds", "primaryOrganisationId"));
    if (!in.has("organisationIds")) {
      throw JsonInput.missing("organisationIds");
    }
    List<UUID> ids = in.uuids("organisationIds", MAX_ORGANISATIONS);
    UUID primary = in.uuid("primaryOrganisationId");
    users.setOrganisations(caller.tenantId(), id, ids, primary, clock)
        .onSuccess(m -> HealthHandler.json(ctx, 200, new JsonObject().put("items", membershipsJson(m))))
        .onFailure(ctx::fail);
  }

  static JsonArray membershipsJson(List<Membership> memberships) {
    JsonArray out = new JsonArray();
    memberships.forEach(m -> out.add(new JsonObject().put("id", m.organisationId().toString())
        .put("name", m.name()).put("primary", m.primary())));
    return out;
  }

  private static Role roleParam(RoutingContext ctx) {
    String raw = ctx.queryParams().get("role");
    return raw == null ? null : JsonInput.oneOf("role", raw, Role.values(), Role::code);
  }

  private static Boolean enabledParam(RoutingContext ctx) {
    String raw = ctx.queryParams().get("enabled");
    if (raw == null) {
      return null;
    }
    if (!raw.equals("true") && !raw.equals("false")) {
      throw JsonInput.invalid("enabled", "true or false");
    }
    return Boolean.valueOf(raw);
  }

  static JsonObject json(UserAccount user) {
    return new JsonObject()
        .put("id", user.id().toString())
        .put("email", user.email())
        .put("displayName", user.displayName())
        .put("locale", user.locale())
        .put("role", user.role().code())
        .put("organisationId", user.organisationId() == null ? null : user.organisationId().toString())
        .put("organisationIds", new JsonArray(user.organisationIds().stream().map(UUID::toString).toList()))
        .put("enabled", user.enabled())
        .put("hasPassword", user.passwordHash() != null)
        .put("createdAt", user.createdAt().toInstant().toString())
        .put("version", user.version());
  }
}
