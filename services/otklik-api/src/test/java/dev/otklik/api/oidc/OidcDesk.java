package dev.otklik.api.oidc;

import dev.otklik.api.ApiOptions;
import dev.otklik.api.ApiRouter;
import dev.otklik.api.TenantSource;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.Audience;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.OidcProvider;
import dev.otklik.core.tenant.SignIn;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestClock;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestSla;
import dev.otklik.store.TestTenants;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's whole API on a real HTTP port and the test JVM's embedded PostgreSQL, with tenants
 * whose typed config carries {@code sign-in.oidc[]} providers, client secrets given through
 * {@link ApiOptions#withEnvironment} (never the real environment), and one clock for the API and
 * the test providers.
 */
final class OidcDesk implements AutoCloseable {

  static final JwtKeys KEYS = JwtKeys.hs256("an-oidc-test-secret-of-at-least-32-bytes!", "otklik", "otklik-api",
      Duration.ofMinutes(15));

  final Vertx vertx = Vertx.vertx();
  final TestClock clock = new TestClock(Instant.now());
  final TenantTransactions tx = TestDatabase.transactions();
  final Map<String, String> environment = new ConcurrentHashMap<>();
  private final Map<String, TenantConfig> tenants = new ConcurrentHashMap<>();
  private final HttpServer server;
  final String base;
  final WebClient http;

  OidcDesk() {
    TenantSource source = new TenantSource() {
      public List<JsonObject> configs() { return tenants.keySet().stream().map(id -> config(id).orElseThrow()).toList(); }
      public Optional<JsonObject> config(String id) {
        return tenants.containsKey(id) ? Optional.of(new JsonObject().put("id", id).put("enabled", true)) : Optional.empty();
      }
      public Optional<TenantConfig> tenant(String id) { return Optional.ofNullable(tenants.get(id)); }
      public Optional<Path> logo(String id) { return Optional.empty(); }
      public boolean loaded() { return true; }
      public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
    };
    AtomicReference<Router> router = new AtomicReference<>();
    server = vertx.createHttpServer().requestHandler(request -> router.get().handle(request))
        .listen(0, "127.0.0.1").await();
    base = "http://127.0.0.1:" + server.actualPort();
    ApiOptions options = new ApiOptions("127.0.0.1", server.actualPort(), 65536, null, KEYS,
        ApiOptions.DEFAULT_REFRESH_TTL, 100_000, 100_000, clock, false, base).withEnvironment(environment::get);
    router.set(ApiRouter.create(vertx, options, source, TestDatabase.pool()));
    http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
  }

  TestOidcProvider provider(String name) {
    TestOidcProvider p = TestOidcProvider.start(vertx, name, clock, "otklik-" + name, "secret-of-" + name);
    environment.put(envName(p), p.clientSecret);
    return p;
  }

  static String envName(TestOidcProvider p) {
    return "OTKLIK_OIDC_" + p.name.toUpperCase().replace('-', '_') + "_SECRET";
  }

  /**
   * A provider entry as a tenant admin would write it: staff and customers, groups mapped to
   * roles, organisations by the {@code org} claim or e-mail domain.
   */
  static OidcProvider entry(String id, TestOidcProvider p, Set<Audience> audiences, Optional<Role> defaultRole) {
    return new OidcProvider(id, LocalizedText.of("Войти через " + p.name, "Sign in with " + p.name), audiences,
        p.issuer, p.clientId, envName(p), List.of("openid", "email", "profile"), Optional.empty(), "email",
        Optional.of("groups"), Map.of("support-admins", Role.TENANT_ADMIN, "support", Role.AGENT,
            "leads", Role.COORDINATOR, "clients", Role.CUSTOMER), defaultRole, Optional.of("org"));
  }

  static OidcProvider entry(String id, TestOidcProvider p) {
    return entry(id, p, EnumSet.allOf(Audience.class), Optional.empty());
  }

  /** A new enabled tenant signing in with {@code providers}; passwords for {@code password}. */
  String tenant(Set<Audience> password, OidcProvider... providers) {
    String id = TestTenants.create(tx);
    tenants.put(id, withSignIn(TestSla.tenantConfig(id), new SignIn(password, Set.of(), List.of(providers))));
    return id;
  }

  String tenant(OidcProvider... providers) {
    return tenant(EnumSet.allOf(Audience.class), providers);
  }

  static TenantConfig withSignIn(TenantConfig c, SignIn signIn) {
    return new TenantConfig(c.id(), c.enabled(), c.requestNumberPrefix(), c.defaultLocale(), c.identity(),
        c.branding(), c.channels(), c.calendar(), c.taxonomy(), c.requestForm(), c.catalogue(), c.sla(),
        c.workflow(), c.intake(), c.contract(), c.releases(), c.library(), c.notifications(), c.webhooks(), signIn,
        c.satisfaction());
  }

  HttpResponse<Buffer> get(String url, String cookie) {
    var request = http.getAbs(url.startsWith("http") ? url : base + url);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return request.send().await();
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return http.postAbs(base + path).sendJsonObject(body).await();
  }

  HttpResponse<Buffer> getWithToken(String path, String accessToken) {
    return http.getAbs(base + path).putHeader("Authorization", "Bearer " + accessToken).send().await();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
