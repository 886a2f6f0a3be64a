package dev.otklik.api.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.otklik.api.ApiOptions;
import dev.otklik.api.TenantCatalogueHandler;
import dev.otklik.api.TenantSource;
import dev.otklik.api.auth.Sessions;
import dev.otklik.core.OtklikException;
import dev.otklik.core.tenant.Audience;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.OidcProvider;
import dev.otklik.core.tenant.SignIn;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.store.ExternalIdentityStore;
import dev.otklik.store.ExternalIdentityStore.Provisioned;
import dev.otklik.store.OidcFlowStore;
import dev.otklik.store.OidcFlowStore.LoginState;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on with a tenant's OpenID Connect providers ({@code sign-in.oidc[]} of its config).
 *
 * <p>The browser flow is the authorization code flow with PKCE (S256), {@code state} and
 * {@code nonce}:
 * <ol>
 *   <li>{@code GET .../auth/oidc/{provider}/start?returnTo=} records the flow (tenant, provider,
 *       nonce, PKCE verifier, return route; ten minutes, single use) under a random state, sets a
 *       browser-binding cookie, and redirects to the provider's authorization endpoint;</li>
 *   <li>{@code GET .../auth/oidc/{provider}/callback?code&state} spends the state (which must be
 *       the same tenant's, the same provider's, and started in the same browser), redeems the
 *       code at the token endpoint with the client secret and the verifier, checks the ID token
 *       ({@link IdTokenValidator}), links or provisions the account
 *       ({@link ExternalIdentityStore}) and redirects to the portal's {@code #/sso/<code>} with a
 *       one-time code (two minutes);</li>
 *   <li>{@code POST .../auth/oidc/exchange {"code"}} from the portal trades the code for the
 *       session's tokens ({@link Sessions#signIn}). Tokens never travel in a URL.</li>
 * </ol>
 * Every failure of the browser flow ends on the portal's {@code #/sso-error/<problem code>}.
 *
 * <p>Native clients that ran the flow themselves send the ID token directly:
 * {@code POST .../auth/oidc/{provider}/token {"idToken", "nonce"}} (same checks, JSON problems).
 * {@code GET .../auth/methods} tells the portal how people of the tenant sign in.
 */
public final class OidcHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OidcHandler.class);
  static final String COOKIE = "otklik_oidc";
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern RETURN_TO = Pattern.compile("/[A-Za-z0-9/_.~-]{0,200}");
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final ApiOptions options;
  private final TenantSource tenants;
  private final OidcClient client;
  private final IdTokenValidator validator;
  private final OidcFlowStore flows;
  private final ExternalIdentityStore identities;
  private final UserStore users;
  private final Sessions sessions;

  public OidcHandler(ApiOptions options, TenantSource tenants, OidcClient client, OidcFlowStore flows,
      ExternalIdentityStore identities, UserStore users, Sessions sessions) {
    this.options = options;
    this.tenants = tenants;
    this.client = client;
    this.validator = new IdTokenValidator(client, options.clock());
    this.flows = flows;
    this.identities = identities;
    this.users = users;
    this.sessions = sessions;
  }

  /**
   * Adds the public sign-in routes (before the tenant guard). Without {@code sessions} (no
   * access-token keys) only {@code auth/methods} works and the rest answer 503 {@code auth.disabled}.
   */
  public static void routes(Router router, Vertx vertx, ApiOptions options, TenantSource tenants, Pool pool,
      TenantCatalogueHandler catalogue, Sessions sessions) {
    TenantTransactions tx = pool == null ? null : new TenantTransactions(pool);
    OidcHandler oidc = new OidcHandler(options, tenants, new OidcClient(vertx, options.clock()),
        new OidcFlowStore(tx, options.clock()), new ExternalIdentityStore(tx, options.clock()), new UserStore(tx),
        sessions);
    String base = "/api/v1/tenants/:tenantId/auth";
    router.get(base + "/methods").handler(catalogue::requireEnabled).handler(oidc::methods);
    router.get(base + "/oidc/:providerId/start").handler(catalogue::requireEnabled).handler(oidc::start);
    router.get(base + "/oidc/:providerId/callback").handler(catalogue::requireEnabled).handler(oidc::callback);
    router.post(base + "/oidc/exchange").handler(catalogue::requireEnabled).handler(oidc::exchange);
    router.post(base + "/oidc/:providerId/token").handler(catalogue::requireEnabled).handler(oidc::token);
  }

  /** {@code GET .../auth/methods}: who may use a password, and the providers with their start URLs. No secrets. */
  public void methods(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    SignIn signIn = signIn(tenantId);
    JsonArray providers = new JsonArray();
    for (OidcProvider p : signIn.oidc()) {
      JsonObject label = new JsonObject().put("ru", p.label().ru());
      p.label().en().ifPresent(en -> label.put("en", en));
      providers.add(new JsonObject()
          .put("id", p.id())
          .put("label", label)
          .put("for", audiences(p.audiences()))
          .put("startUrl", options.linkBase() + startPath(tenantId, p.id())));
    }
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(new JsonObject().put("password", audiences(signIn.password())).put("oidc", providers).encode());
  }

  /** {@code GET .../auth/oidc/:providerId/start?returnTo=}: 302 to the provider. */
  public void start(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    String providerId = ctx.pathParam("providerId");
    String returnTo = returnTo(ctx.request().getParam("returnTo"));
    Cookie existing = ctx.request().getCookie(COOKIE);
    String browser = existing != null && TOKEN.matcher(existing.getValue()).matches()
        ? existing.getValue() : flows.randomToken();
    String state = flows.randomToken();
    String nonce = flows.randomToken();
    String verifier = flows.randomToken();
    Future.succeededFuture()
        .compose(ok -> {
          requireSessions();
          OidcProvider provider = provider(tenantId, providerId);
          secret(tenantId, provider);
          return client.metadata(provider).compose(metadata -> flows.saveState(tenantId, state,
                  new LoginState(providerId, nonce, verifier, returnTo, OidcFlowStore.hash(browser)))
              .map(saved -> metadata.authorizationEndpoint()
                  + (metadata.authorizationEndpoint().contains("?") ? "&" : "?")
                  + "response_type=code"
                  + "&client_id=" + encode(provider.clientId())
                  + "&redirect_uri=" + encode(redirectUri(tenantId, providerId))
                  + "&scope=" + encode(String.join(" ", provider.scopes()))
                  + "&state=" + state
                  + "&nonce=" + nonce
                  + "&code_challenge=" + challenge(verifier)
                  + "&code_challenge_method=S256"));
        })
        .onSuccess(location -> {
          ctx.response().addCookie(Cookie.cookie(COOKIE, browser)
              .setPath("/api/v1/tenants/" + tenantId + "/auth/oidc/")
              .setHttpOnly(true)
              .setSecure(options.linkBase().startsWith("https:"))
              .setSameSite(CookieSameSite.LAX)
              .setMaxAge(OidcFlowStore.STATE_TTL.toSeconds()));
          redirect(ctx, location);
        })
        .onFailure(failure -> browserFailure(ctx, tenantId, providerId, failure));
  }

  /** {@code GET .../auth/oidc/:providerId/callback?code&state} (or {@code ?error&state}): 302 to the portal. */
  public void callback(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    String providerId = ctx.pathParam("providerId");
    String state = ctx.request().getParam("state");
    String error = ctx.request().getParam("error");
    String code = ctx.request().getParam("code");
    Cookie browser = ctx.request().getCookie(COOKIE);
    Future.succeededFuture()
        .compose(ok -> {
          requireSessions();
          if (state == null || !TOKEN.matcher(state).matches()) {
            throw stateInvalid("no state, or not one of ours");
          }
          return flows.spendState(tenantId, state);
        })
        .compose(found -> {
          LoginState flow = found.orElseThrow(() -> stateInvalid("unknown, spent or lapsed"));
          if (!flow.providerId().equals(providerId)) {
            throw stateInvalid("started for provider " + flow.providerId());
          }
          if (browser == null || !MessageDigest.isEqual(OidcFlowStore.hash(browser.getValue())
              .getBytes(StandardCharsets.US_ASCII), flow.browserHash().getBytes(StandardCharsets.US_ASCII))) {
            throw stateInvalid("started in another browser");
          }
          if (error != null) {
            throw new OtklikException(401, "auth.oidc-denied", new IllegalStateException("provider: " + error + " "
                + ctx.request().getParam("error_description")), errorCode(error));
          }
          if (code == null || code.isBlank() || code.length() > 4096) {
            throw new OtklikException(401, "auth.oidc-denied", new IllegalStateException("no code"), "no_code");
          }
          OidcProvider provider = provider(tenantId, providerId);
          String secret = secret(tenantId, provider);
          return client.metadata(provider)
              .compose(metadata -> client.redeem(metadata, provider.clientId(), secret, code,
                  redirectUri(tenantId, providerId), flow.codeVerifier()))
              .compose(response -> validator.validate(provider,
                  response.getValue("id_token") instanceof String t ? t : null, flow.nonce()))
              .compose(claims -> provision(tenantId, provider, claims)
                  .compose(account -> flows.issueCode(tenantId, account.user().id(), providerId, amr(claims))))
              .map(oneTime -> portal(tenantId) + "#/sso/" + oneTime
                  + (flow.returnTo() == null ? "" : "?next=" + flow.returnTo()));
        })
        .onSuccess(location -> redirect(ctx, location))
        .onFailure(failure -> browserFailure(ctx, tenantId, providerId, failure));
  }

  /** {@code POST .../auth/oidc/exchange {"code"}}: the tokens of the sign-in the one-time code stands for. */
  public void exchange(RoutingContext ctx) {
    requireSessions();
    String tenantId = ctx.pathParam("tenantId");
    String code = text(body(ctx), "code");
    if (!TOKEN.matcher(code).matches()) {
      throw OtklikException.badRequest("auth.oidc-code-invalid");
    }
    flows.spendCode(tenantId, code)
        .compose(found -> {
          OidcFlowStore.SignInCode signIn = found.orElseThrow(() -> OtklikException.badRequest("auth.oidc-code-invalid"));
          return users.findById(tenantId, signIn.userId()).map(user -> {
            UserAccount account = user.filter(UserAccount::enabled)
                .orElseThrow(() -> OtklikException.forbidden("auth.account-disabled"));
            sessions.signIn(ctx, account, "oidc:" + signIn.providerId(), signIn.amr());
            return account;
          });
        })
        .onFailure(ctx::fail);
  }

  /** {@code POST .../auth/oidc/:providerId/token {"idToken", "nonce"}}: sign-in with an ID token a native client got. */
  public void token(RoutingContext ctx) {
    requireSessions();
    String tenantId = ctx.pathParam("tenantId");
    String providerId = ctx.pathParam("providerId");
    JsonObject body = body(ctx);
    String idToken = text(body, "idToken");
    String nonce = text(body, "nonce");
    OidcProvider provider = provider(tenantId, providerId);
    validator.validate(provider, idToken, nonce)
        .compose(claims -> provision(tenantId, provider, claims)
            .onSuccess(account -> sessions.signIn(ctx, account.user(), "oidc:" + providerId, amr(claims))))
        .onFailure(failure -> {
          log(tenantId, providerId, failure);
          ctx.fail(failure);
        });
  }

  private Future<Provisioned> provision(String tenantId, OidcProvider provider, JWTClaimsSet claims) {
    Language language = tenants.tenant(tenantId).map(TenantConfig::defaultLocale).orElse(Language.RU);
    return identities.signIn(tenantId, OidcClaims.signIn(provider, claims, language))
        .onSuccess(account -> LOG.info("OIDC sign-in: tenant {} provider {} user {} ({})", tenantId, provider.id(),
            account.user().id(), account.outcome()));
  }

  private SignIn signIn(String tenantId) {
    return tenants.tenant(tenantId).map(TenantConfig::signIn).orElse(SignIn.DEFAULT);
  }

  private OidcProvider provider(String tenantId, String providerId) {
    return signIn(tenantId).provider(providerId)
        .orElseThrow(() -> OtklikException.notFound("auth.oidc-provider-unknown", providerId));
  }

  /** The client secret from the environment variable the config names; 503 when it is not set. */
  private String secret(String tenantId, OidcProvider provider) {
    String secret = options.environment().apply(provider.clientSecretEnv());
    if (secret == null || secret.isBlank()) {
      throw new OtklikException(503, "auth.oidc-unavailable", new IllegalStateException("tenant " + tenantId
          + ", provider " + provider.id() + ": environment variable " + provider.clientSecretEnv() + " is not set"),
          new Object[0]);
    }
    return secret;
  }

  private void requireSessions() {
    if (sessions == null) {
      throw new OtklikException(503, "auth.disabled");
    }
  }

  private String redirectUri(String tenantId, String providerId) {
    return options.linkBase() + "/api/v1/tenants/" + tenantId + "/auth/oidc/" + providerId + "/callback";
  }

  static String startPath(String tenantId, String providerId) {
    return "/api/v1/tenants/" + tenantId + "/auth/oidc/" + providerId + "/start";
  }

  private static String portal(String tenantId) {
    return "/t/" + tenantId + "/";
  }

  /** A portal route to open after sign-in ({@code /requests/ASMO-2026-000001}, {@code #/queue}); anything else is dropped. */
  static String returnTo(String raw) {
    if (raw == null) {
      return null;
    }
    String route = raw.startsWith("#") ? raw.substring(1) : raw;
    return RETURN_TO.matcher(route).matches() && !route.startsWith("//") && !route.contains("..") ? route : null;
  }

  /** A provider's error code as it may appear in a message; anything odd becomes {@code error}. */
  static String errorCode(String error) {
    return error != null && ERROR_CODE.matcher(error).matches() ? error : "error";
  }

  private static List<String> amr(JWTClaimsSet claims) {
    List<String> amr = new ArrayList<>(List.of("ext"));
    OidcClaims.amr(claims).stream().filter(v -> !amr.contains(v)).forEach(amr::add);
    return amr;
  }

  private void browserFailure(RoutingContext ctx, String tenantId, String providerId, Throwable failure) {
    log(tenantId, providerId, failure);
    String code = failure instanceof OtklikException e ? e.code() : "internal";
    redirect(ctx, portal(tenantId) + "#/sso-error/" + code);
  }

  private static void log(String tenantId, String providerId, Throwable failure) {
    if (failure instanceof OtklikException e && e.status() < 500) {
      LOG.info("OIDC sign-in refused: tenant {} provider {}: {} ({})", tenantId, providerId, e.code(),
          e.getCause() == null ? "-" : e.getCause().getMessage());
    } else {
      LOG.warn("OIDC sign-in failed: tenant {} provider {}", tenantId, providerId, failure);
    }
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(302)
        .putHeader("Location", location)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .end();
  }

  private static OtklikException stateInvalid(String why) {
    return new OtklikException(400, "auth.oidc-state-invalid", new IllegalStateException(why), new Object[0]);
  }

  private static JsonArray audiences(java.util.Collection<Audience> audiences) {
    JsonArray out = new JsonArray();
    for (Audience a : Audience.values()) {
      if (audiences.contains(a)) {
        out.add(a.name().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static JsonObject body(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    if (body == null) {
      throw OtklikException.badRequest("request.bad");
    }
    return body;
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String s) || s.isBlank() || s.length() > 16 * 1024) {
      throw OtklikException.badRequest("request.bad");
    }
    return s;
  }
}
