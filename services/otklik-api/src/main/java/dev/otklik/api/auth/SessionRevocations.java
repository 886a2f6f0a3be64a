package dev.otklik.api.auth;

import dev.otklik.core.EventBusAddresses;
import dev.otklik.store.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions this node must refuse although their access tokens still verify: access tokens
 * are self-contained JWTs, so a revoked session's token stays valid until it expires unless every
 * node is told. A revocation is published on the (clustered) event bus; each node keeps the ids
 * for one access-token lifetime, tells its listeners (the WebSocket gateway closes the sockets),
 * and a node that starts reads the revocations of the last lifetime from PostgreSQL.
 * One instance per Vert.x instance ({@link #of}), shared by the node's HTTP verticles.
 */
public final class SessionRevocations implements Shareable {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRevocations.class);
  /** Clocks of nodes differ a little; keep ids this much longer than a token lives. */
  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final Object LOCK = new Object();

  private final Vertx vertx;
  private final Clock clock;
  private final Duration keep;
  private final Map<UUID, Instant> revoked = new ConcurrentHashMap<>();
  private final List<Consumer<Set<UUID>>> listeners = new CopyOnWriteArrayList<>();

  private SessionRevocations(Vertx vertx, Duration accessTtl, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.keep = accessTtl.plus(SKEW);
    vertx.eventBus().<JsonObject>consumer(EventBusAddresses.SESSIONS_REVOKED, m -> received(m.body()));
    vertx.setPeriodic(Duration.ofMinutes(1).toMillis(), id -> prune());
  }

  /** The node's instance; the first call registers the cluster-wide consumer. */
  public static SessionRevocations of(Vertx vertx, Duration accessTtl, Clock clock) {
    LocalMap<String, SessionRevocations> node = vertx.sharedData().getLocalMap(SessionRevocations.class.getName());
    synchronized (LOCK) {
      SessionRevocations existing = node.get("node");
      if (existing != null) {
        return existing;
      }
      SessionRevocations created = new SessionRevocations(vertx, accessTtl, clock);
      node.put("node", created);
      return created;
    }
  }

  /** True when the session was revoked within the last access-token lifetime. */
  public boolean isRevoked(UUID sessionId) {
    return sessionId != null && revoked.containsKey(sessionId);
  }

  /** Called on the event loop of the consumer with the ids each announcement ends. */
  public void onRevoked(Consumer<Set<UUID>> listener) {
    listeners.add(listener);
  }

  /** Tells every node (this one included, at once) that these sessions have ended; {@code userId} may be unknown (null). */
  public void announce(String tenantId, UUID userId, Collection<UUID> sessionIds) {
    if (sessionIds.isEmpty()) {
      return;
    }
    remember(sessionIds, clock.instant());
    JsonArray ids = new JsonArray();
    sessionIds.forEach(id -> ids.add(id.toString()));
    vertx.eventBus().publish(EventBusAddresses.SESSIONS_REVOKED, new JsonObject().put("tenantId", tenantId)
        .put("userId", userId == null ? null : userId.toString()).put("sessionIds", ids));
  }

  /** Reads the revocations of the last access-token lifetime (at node start). */
  public Future<Void> warmUp(SessionStore sessions, Collection<String> tenantIds) {
    Instant since = clock.instant().minus(keep);
    List<Future<?>> reads = new ArrayList<>();
    for (String tenantId : tenantIds) {
      reads.add(sessions.revokedSince(tenantId, since).onSuccess(list -> list.forEach(r -> revoked.put(r.id(), r.revokedAt()))));
    }
    return Future.join(reads).<Void>mapEmpty()
        .onFailure(e -> LOG.warn("Could not read recent session revocations", e));
  }

  private void received(JsonObject body) {
    Set<UUID> ids = ConcurrentHashMap.newKeySet();
    try {
      body.getJsonArray("sessionIds", new JsonArray()).forEach(id -> ids.add(UUID.fromString(String.valueOf(id))));
    } catch (IllegalArgumentException e) {
      LOG.warn("Ignoring a malformed session revocation {}", body);
      return;
    }
    remember(ids, clock.instant());
    listeners.forEach(l -> l.accept(Set.copyOf(ids)));
  }

  private void remember(Collection<UUID> ids, Instant at) {
    ids.forEach(id -> revoked.put(id, at));
  }

  private void prune() {
    Instant oldest = clock.instant().minus(keep);
    revoked.values().removeIf(at -> at.isBefore(oldest));
  }
}
