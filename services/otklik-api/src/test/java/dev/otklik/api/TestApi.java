package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.auth.Role;
import dev.otklik.store.OrganisationStore;
import dev.otklik.store.OrganisationStore.OrganisationDetails;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestTenants;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import dev.otklik.store.UserStore.NewUser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP server with every route, on the test JVM's embedded PostgreSQL, for tests of the
 * tenant-scoped API. Tenants made through it are enabled; people are made straight in the store
 * and signed in by issuing their access token.
 */
final class TestApi implements AutoCloseable {

  static final JwtKeys KEYS = JwtKeys.hs256("a-test-secret-for-the-people-api-0123456789", "otklik", "otklik-api",
      Duration.ofMinutes(15));

  final Vertx vertx = Vertx.vertx();
  final TenantTransactions tx = TestDatabase.transactions();
  final UserStore users = new UserStore(tx);
  final OrganisationStore organisations = new OrganisationStore(tx);
  final AccessTokens tokens = new AccessTokens(vertx, KEYS);
  private final Set<String> tenantIds = ConcurrentHashMap.newKeySet();
  private final WebClient client;

  TestApi(int perUserPerMinute, int perTenantPerMinute) {
    TenantSource tenants = new TenantSource() {
      public List<JsonObject> configs() { return tenantIds.stream().map(id -> config(id).orElseThrow()).toList(); }
      public Optional<JsonObject> config(String id) {
        return tenantIds.contains(id) ? Optional.of(new JsonObject().put("id", id).put("enabled", true)) : Optional.empty();
      }
      public Optional<Path> logo(String id) { return Optional.empty(); }
      public boolean loaded() { return true; }
      public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
    };
    ApiOptions options = new ApiOptions("127.0.0.1", 0, 65536, null, KEYS, ApiOptions.DEFAULT_REFRESH_TTL,
        perUserPerMinute, perTenantPerMinute);
    client = serve(vertx, options, tenants);
  }

  /**
   * Every route of {@link ApiRouter} on a loopback port of {@code vertx}, on the test JVM's
   * PostgreSQL; a client aimed at it. The server stops with {@code vertx}.
   */
  static WebClient serve(Vertx vertx, ApiOptions options, TenantSource tenants) {
    HttpServer server = vertx.createHttpServer()
        .requestHandler(ApiRouter.create(vertx, options, tenants, TestDatabase.pool()))
        .listen(0, "127.0.0.1").await();
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  /** With rate limits high enough never to get in the way. */
  TestApi() {
    this(100_000, 100_000);
  }

  String tenant() {
    String id = TestTenants.create(tx);
    tenantIds.add(id);
    return id;
  }

  UUID organisation(String tenant, String name) {
    return organisations.create(tenant, new OrganisationDetails(name, List.of(), null, null, null, null)).await().id();
  }

  UserAccount user(String tenant, Role role, UUID organisationId) {
    String email = role.code() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.ru";
    return users.create(tenant, new NewUser(email, "Тест " + role.code(), "ru", null, role, organisationId)).await();
  }

  String bearer(UserAccount user) {
    return "Bearer " + tokens.issue(user).token();
  }

  /** A request to {@code /api/v1/tenants/<tenant><path>} with the given Authorization (or none). */
  HttpRequest<Buffer> request(HttpMethod method, String tenant, String path, String authorization) {
    HttpRequest<Buffer> request = client.request(method, "/api/v1/tenants/" + tenant + path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return request;
  }

  /** The first row of a query with one parameter, run as the superuser past row-level security; empty if none. */
  static List<Object> row(String sql, Object parameter) throws Exception {
    try (Connection c = TestDatabase.superuserConnection(); PreparedStatement q = c.prepareStatement(sql)) {
      q.setObject(1, parameter);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return List.of();
        }
        List<Object> values = new java.util.ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          values.add(rs.getObject(i));
        }
        return values;
      }
    }
  }

  /** Rows of {@code table} in {@code tenant}, counted past row-level security. */
  static long rows(String table, String tenant) throws Exception {
    return (Long) row("SELECT count(*) FROM " + table + " WHERE tenant_id = ?", tenant).get(0);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
