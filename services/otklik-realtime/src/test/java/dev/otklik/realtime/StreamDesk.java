package dev.otklik.realtime;

import dev.otklik.api.ApiOptions;
import dev.otklik.api.ApiRouter;
import dev.otklik.api.TenantSource;
import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.JwtKeys;
import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.auth.Role;
import dev.otklik.store.EventSignal;
import dev.otklik.store.Organisation;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestPeople;
import dev.otklik.store.TestTenants;
import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import dev.otklik.store.UserAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real HTTP server (REST routes plus the stream) on the test JVM's embedded PostgreSQL, one
 * tenant with two customer organisations, and real WebSocket clients.
 */
final class StreamDesk implements AutoCloseable {

  static final JwtKeys KEYS = JwtKeys.hs256("a-stream-test-secret-of-at-least-32-bytes", "otklik", "otklik-api",
      Duration.ofMinutes(15));

  final Vertx vertx = Vertx.vertx();
  final TenantTransactions tx = TestDatabase.transactions();
  final Map<String, Boolean> enabled = new ConcurrentHashMap<>();
  /** Typed configs a test gives tenants (sign-in rules, say); without one the gateway sees none. */
  final Map<String, dev.otklik.core.tenant.TenantConfig> typed = new ConcurrentHashMap<>();
  final AccessTokens tokens = new AccessTokens(vertx, KEYS);
  final TicketStore store;
  final StreamGateway gateway;
  final String tenant;
  final Organisation org;
  final Organisation otherOrg;
  final UserAccount customer;
  final UserAccount otherCustomer;
  final UserAccount agent;
  final HttpServer server;
  final WebClient http;
  private final WebSocketClient wsClient;

  StreamDesk(StreamOptions options) {
    this(options, Clock.systemUTC(), new HttpServerOptions(), new WebSocketClientOptions());
  }

  StreamDesk(StreamOptions options, Clock storeClock, HttpServerOptions serverOptions,
      WebSocketClientOptions clientOptions) {
    store = new TicketStore(tx, storeClock);
    tenant = TestTenants.create(tx);
    enabled.put(tenant, true);
    org = TestPeople.organisation(tx, tenant);
    otherOrg = TestPeople.organisation(tx, tenant);
    customer = TestPeople.user(tx, tenant, Role.CUSTOMER, org.id());
    otherCustomer = TestPeople.user(tx, tenant, Role.CUSTOMER, otherOrg.id());
    agent = TestPeople.user(tx, tenant, Role.AGENT, null);
    TenantSource source = new TenantSource() {
      public List<JsonObject> configs() { return enabled.keySet().stream().map(id -> config(id).orElseThrow()).toList(); }
      public Optional<JsonObject> config(String id) {
        return Optional.ofNullable(enabled.get(id)).map(on -> new JsonObject().put("id", id).put("enabled", on)
            .put("request-number-prefix", "TST"));
      }
      public Optional<dev.otklik.core.tenant.TenantConfig> tenant(String id) { return Optional.ofNullable(typed.get(id)); }
      public Optional<Path> logo(String id) { return Optional.empty(); }
      public boolean loaded() { return true; }
      public Future<JsonObject> reload() { return Future.succeededFuture(new JsonObject()); }
    };
    gateway = new StreamGateway(vertx, tokens, source, tx, options);
    ApiOptions api = new ApiOptions("127.0.0.1", 0, 65536, null, KEYS, ApiOptions.DEFAULT_REFRESH_TTL,
        100_000, 100_000);
    server = vertx.createHttpServer(serverOptions.setWebSocketSubProtocols(List.of(StreamGateway.SUBPROTOCOL)))
        .requestHandler(ApiRouter.create(vertx, api, source, TestDatabase.pool(), gateway))
        .listen(0, "127.0.0.1").await();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort()));
    wsClient = vertx.createWebSocketClient(clientOptions);
  }

  TicketStore.Caller caller(UserAccount user) {
    return new TicketStore.Caller(user.id(), user.role(), user.organisationId());
  }

  String token(UserAccount user) {
    return tokens.issue(user).token();
  }

  /** A request of {@code owner}'s organisation, registered through the real store. */
  Ticket ticket(UserAccount owner, String subject) {
    var t = new TicketStore.NewTicket("TST", ZoneId.of("Europe/Moscow"), "portal", null, null, null, null, null,
        subject, "details", null, owner.organisationId(), owner.id(), null, null, null);
    return signal(store.create(tenant, caller(owner), t).await()).value();
  }

  long comment(UserAccount by, Ticket t, String body, boolean internal) {
    return signal(store.addComment(tenant, caller(by), t.number(), body, internal).await()).sequence();
  }

  /**
   * Whether signals carry the event row, as TicketHandler's do; off, they say only the sequence,
   * as the timers' and mail intake's do, and sessions read the rows from the database.
   */
  volatile boolean rowsInSignals = true;

  /** What TicketHandler publishes after a commit. */
  <T> TicketStore.Change<T> signal(TicketStore.Change<T> change) {
    JsonObject message = EventSignal.message(change);
    if (!rowsInSignals) {
      message.remove("event");
    }
    vertx.eventBus().publish(EventBusAddresses.tenantEvents(tenant), message);
    return change;
  }

  /** A socket with every frame it receives queued, and its close code. */
  static final class Client {
    final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocket ws;

    void send(JsonObject frame) {
      ws.writeTextMessage(frame.encode()).await();
    }

    /** The next frame matching {@code which}, skipping others; fails after 10 s. */
    JsonObject next(Predicate<JsonObject> which) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        JsonObject f = frames.poll(100, TimeUnit.MILLISECONDS);
        if (f != null && which.test(f)) {
          return f;
        }
      }
      throw new AssertionError("no matching frame within 10 s");
    }

    JsonObject next(String type) throws InterruptedException {
      return next(f -> type.equals(f.getString("type")));
    }

    /** Event frames until (and including) sequence {@code last}. */
    List<JsonObject> eventsUntil(long last) throws InterruptedException {
      List<JsonObject> events = new ArrayList<>();
      while (true) {
        JsonObject e = next("event");
        events.add(e);
        if (e.getLong("sequence") >= last) {
          return events;
        }
      }
    }

    short closeCode(Duration within) throws Exception {
      return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  WebSocketConnectOptions connectOptions(String query) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort())
        .setURI(StreamGateway.PATH + (query == null ? "" : "?" + query));
  }

  Client connect(String token) {
    return connect(connectOptions(null).addHeader("Authorization", "Bearer " + token), false);
  }

  Client connect(WebSocketConnectOptions options, boolean paused) {
    Client c = new Client();
    // Handlers go on before connecting: the server's welcome can arrive with the upgrade response,
    // and a handler set in the connect callback may be too late for it.
    io.vertx.core.http.ClientWebSocket ws = wsClient.webSocket();
    ws.textMessageHandler(t -> c.frames.add(new JsonObject(t)));
    ws.closeHandler(v -> c.closed.complete(ws.closeStatusCode()));
    c.ws = ws.connect(options).andThen(ar -> {
      if (paused && ar.succeeded()) {
        ar.result().pause(); // a socket can only be paused once connected; early frames are then read anyway
      }
    }).await();
    return c;
  }

  static JsonObject subscribe(String scope, Long after) {
    JsonObject f = new JsonObject().put("type", "subscribe")
        .put("subscriptions", new io.vertx.core.json.JsonArray().add(new JsonObject().put("scope", scope)));
    return after == null ? f : f.put("after", after);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
