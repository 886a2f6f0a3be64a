package dev.otklik.realtime;

import dev.otklik.api.RouteContributor;
import dev.otklik.api.TenantSource;
import dev.otklik.api.auth.AccessTokens;
import dev.otklik.api.auth.SessionRevocations;
import dev.otklik.api.auth.TwoFactorSignIn;
import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.store.TenantTransactions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket gateway at {@value #PATH}. The upgrade is authenticated with an access token
 * ({@code Authorization: Bearer <token>}, or for browsers the subprotocol {@code bearer.<token>}
 * next to {@code otklik.v1}); an optional {@code ?tenant=} must match the token's tenant, and the
 * tenant must be enabled. Each socket is a {@link StreamSession}.
 *
 * <p>Per tenant the gateway holds ONE event-bus consumer of
 * {@link EventBusAddresses#tenantEvents(String)} and fans the signal out to that tenant's sessions on
 * their own event loops. The signal says "sequence N exists" and, from REST changes, carries the
 * row ({@link dev.otklik.store.EventSignal}), which the node's {@link EventFeed} holds as if read;
 * each session reads from the feed the events it has not sent, and the feed queries
 * {@code ticket_event} only for rows it does not hold (a replay, a signal without its row, a gap).
 * It also closes a tenant's sockets when
 * {@link EventBusAddresses#TENANTS_RELOADED} reports the tenant removed, or changed and now disabled.
 */
public final class StreamGateway implements RouteContributor {

  public static final String PATH = "/api/v1/stream";
  public static final String SUBPROTOCOL = "otklik.v1";
  private static final String BEARER_PROTOCOL = "bearer.";
  private static final Logger LOG = LoggerFactory.getLogger(StreamGateway.class);

  private final Vertx vertx;
  private final AccessTokens tokens;
  private final TenantSource tenants;
  private final EventFeed feed;
  private final StreamOptions options;
  private final Clock clock;
  private final Map<String, TenantChannel> channels = new HashMap<>();
  private final Set<StreamSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicLong slowConsumersClosed = new AtomicLong();
  private final MessageConsumer<JsonObject> reloads;
  private final SessionRevocations revocations;

  /** One clustered consumer per tenant, shared by that tenant's sessions on this node. */
  private static final class TenantChannel {
    final MessageConsumer<JsonObject> consumer;
    final Set<StreamSession> members = ConcurrentHashMap.newKeySet();
    final Future<Void> ready;

    TenantChannel(MessageConsumer<JsonObject> consumer) {
      this.consumer = consumer;
      this.ready = consumer.completion();
    }
  }

  public StreamGateway(Vertx vertx, AccessTokens tokens, TenantSource tenants, TenantTransactions tx,
      StreamOptions options) {
    this(vertx, tokens, tenants, tx, options, Clock.systemUTC());
  }

  public StreamGateway(Vertx vertx, AccessTokens tokens, TenantSource tenants, TenantTransactions tx,
      StreamOptions options, Clock clock) {
    this(vertx, tokens, tenants, tx, options, clock, null);
  }

  /** @param revocations sessions ended on any node: their sockets are closed, their upgrades refused */
  public StreamGateway(Vertx vertx, AccessTokens tokens, TenantSource tenants, TenantTransactions tx,
      StreamOptions options, Clock clock, SessionRevocations revocations) {
    this.revocations = revocations;
    if (revocations != null) {
      revocations.onRevoked(this::sessionsRevoked);
    }
    this.vertx = vertx;
    this.tokens = tokens;
    this.tenants = tenants;
    this.feed = new EventFeed(tx);
    this.options = options;
    this.clock = clock;
    this.reloads = vertx.eventBus().<JsonObject>localConsumer(EventBusAddresses.TENANTS_RELOADED,
        m -> tenantsReloaded(m.body()));
  }

  @Override
  public void addRoutes(Vertx routerVertx, Router router) {
    router.get(PATH).handler(this::upgrade);
  }

  /** The node's shared reader of {@code ticket_event} (tests count its queries). */
  EventFeed feed() {
    return feed;
  }

  /** Open sockets on this node. */
  public int openSessions() {
    return sessions.size();
  }

  /** Tenants this node holds an event-bus consumer for. */
  public synchronized int tenantChannels() {
    return channels.size();
  }

  /** Sockets closed with {@link StreamCloseCodes#SLOW_CONSUMER} since start. */
  public long slowConsumersClosed() {
    return slowConsumersClosed.get();
  }

  /** Closes every socket ({@link StreamCloseCodes#GOING_AWAY}) and the consumers. */
  public Future<Void> close() {
    new ArrayList<>(sessions).forEach(s -> s.closeFromOutside(StreamCloseCodes.GOING_AWAY, "server shutting down"));
    return reloads.unregister();
  }

  private void upgrade(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      ctx.fail(new OtklikException(400, "request.bad")); // a plain GET: this is a WebSocket endpoint
      return;
    }
    String token = token(request);
    if (token == null) {
      ctx.fail(new OtklikException(401, "auth.required"));
      return;
    }
    request.pause();
    String wanted = request.getParam("tenant");
    tokens.verify(token).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      AccessClaims claims = ar.result();
      if (wanted != null && !wanted.equals(claims.tenantId())) {
        ctx.fail(new OtklikException(403, "auth.wrong-tenant"));
        return;
      }
      if (!enabled(claims.tenantId())) {
        ctx.fail(OtklikException.notFound("tenant.not-found", claims.tenantId()));
        return;
      }
      if (revocations != null && revocations.isRevoked(claims.sessionId())) {
        ctx.fail(new OtklikException(401, "auth.session-revoked"));
        return;
      }
      // the same sign-in rules as REST: a password-only token of a role that now needs a second factor
      OtklikException refused = tenants.tenant(claims.tenantId())
          .map(config -> TwoFactorSignIn.refusal(config.signIn(), claims.role(), claims.amr())).orElse(null);
      if (refused != null) {
        ctx.fail(refused);
        return;
      }
      if (claims.role() == Role.CUSTOMER && claims.organisationIds().isEmpty()) {
        ctx.fail(new OtklikException(403, "auth.forbidden"));
        return;
      }
      long expiresAt = expiry(token);
      Context context = vertx.getOrCreateContext();
      request.toWebSocket().onComplete(ws -> {
        if (ws.failed()) {
          LOG.debug("WebSocket upgrade failed", ws.cause());
          if (!request.response().ended() && !request.response().closed()) {
            request.response().setStatusCode(400).end();
          }
          return;
        }
        StreamSession session = new StreamSession(this, context, ws.result(), claims, expiresAt, feed, options, clock);
        sessions.add(session);
        session.start();
      });
    });
  }

  boolean enabled(String tenantId) {
    return tenants.config(tenantId).map(c -> c.getBoolean("enabled", true)).orElse(false);
  }

  /** Registers the session for its tenant's signals; completes once the consumer is registered. */
  synchronized Future<Void> join(StreamSession session) {
    String tenantId = session.tenantId();
    TenantChannel channel = channels.computeIfAbsent(tenantId, id -> new TenantChannel(
        vertx.eventBus().<JsonObject>consumer(EventBusAddresses.tenantEvents(id), m -> signal(id, m.body()))));
    channel.members.add(session);
    return channel.ready;
  }

  /** Frees what the session held; the last session of a tenant unregisters its consumer. */
  synchronized void leave(StreamSession session) {
    sessions.remove(session);
    TenantChannel channel = channels.get(session.tenantId());
    if (channel != null && channel.members.remove(session) && channel.members.isEmpty()) {
      channels.remove(session.tenantId());
      channel.consumer.unregister();
      feed.forget(session.tenantId());
    }
  }

  void countSlowConsumer() {
    slowConsumersClosed.incrementAndGet();
  }

  private void signal(String tenantId, JsonObject body) {
    Long sequence = body == null ? null : body.getLong("sequence");
    if (sequence == null) {
      return;
    }
    TenantChannel channel;
    synchronized (this) {
      channel = channels.get(tenantId);
    }
    if (channel == null) {
      return; // no session of this tenant here: nothing to parse or hold
    }
    JsonObject row = body.getJsonObject("event");
    if (row != null) {
      EventFeed.FeedEvent event = EventFeed.fromSignal(row);
      synchronized (this) {
        if (channels.get(tenantId) == channel) { // still joined: a tenant that left holds nothing
          feed.hold(tenantId, event); // before the sessions ask
        }
      }
    }
    channel.members.forEach(s -> s.signal(sequence));
  }

  private void sessionsRevoked(Set<java.util.UUID> ended) {
    for (StreamSession s : new ArrayList<>(sessions)) {
      if (s.sessionId() != null && ended.contains(s.sessionId())) {
        s.closeFromOutside(StreamCloseCodes.SESSION_REVOKED, "session revoked");
      }
    }
  }

  private void tenantsReloaded(JsonObject report) {
    List<String> gone = new ArrayList<>();
    JsonArray removed = report.getJsonArray("removed", new JsonArray());
    removed.forEach(id -> gone.add(String.valueOf(id)));
    report.getJsonArray("changed", new JsonArray()).forEach(id -> {
      if (!enabled(String.valueOf(id))) {
        gone.add(String.valueOf(id));
      }
    });
    if (gone.isEmpty()) {
      return;
    }
    for (StreamSession s : new ArrayList<>(sessions)) {
      if (gone.contains(s.tenantId())) {
        s.closeFromOutside(StreamCloseCodes.TENANT_UNAVAILABLE, "tenant unavailable");
      }
    }
  }

  /** The bearer token of the upgrade: the Authorization header, else a {@code bearer.} subprotocol. */
  static String token(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).strip();
    }
    String protocols = request.getHeader("Sec-WebSocket-Protocol");
    if (protocols != null) {
      for (String p : protocols.split(",")) {
        String candidate = p.strip();
        if (candidate.startsWith(BEARER_PROTOCOL) && candidate.length() > BEARER_PROTOCOL.length()) {
          return candidate.substring(BEARER_PROTOCOL.length());
        }
      }
    }
    return null;
  }

  /** The {@code exp} of a token already verified, in epoch milliseconds; Long.MAX_VALUE if none. */
  static long expiry(String token) {
    try {
      String[] parts = token.split("\\.");
      JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      Long exp = payload.getLong("exp");
      return exp == null ? Long.MAX_VALUE : exp * 1000;
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }
}
