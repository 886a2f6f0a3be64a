package dev.otklik.realtime;

import dev.otklik.store.EventSignal;
import dev.otklik.store.TenantTransactions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code ticket_event}, the source of truth the stream replays and forwards from.
 *
 * <p>Range reads are shared between the sessions of a node: a signal makes every session of the
 * tenant ask for the same range at about the same time, so identical reads in flight are joined
 * (one query), and the rows read are kept for {@link #FRESH_FOR_NANOS} per tenant, so a session
 * asking a moment later for a range whose every sequence is held gets it from memory. A range
 * with any sequence missing from memory is read from the database, as before. (The events are
 * append-only; the request's organisation, assignee and watchers joined into a row are at most
 * that old.) Rows that came with their signals are held the same way ({@link #hold}), so on a
 * cluster each node need not read back every event committed on another.
 */
final class EventFeed {

  /** How long a row read for one session may serve another. */
  static final long FRESH_FOR_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Rows kept per tenant at most. */
  static final int RECENT_ROWS = 4096;

  private record RangeKey(String tenantId, long after, long upTo, int limit) {}

  private record Recent(FeedEvent event, long readAt) {}

  private final Map<RangeKey, Future<List<FeedEvent>>> inFlight = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentNavigableMap<Long, Recent>> recent = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong rangeQueries = new java.util.concurrent.atomic.AtomicLong();

  /**
   * One event with what the gateway needs to decide who may see it, and its {@code event} frame,
   * encoded once however many sockets it goes to (rows are shared between sessions).
   */
  record FeedEvent(long sequence, String number, UUID organisationId, UUID assigneeId, String type, UUID actorId,
      boolean isPublic, JsonObject before, JsonObject after, OffsetDateTime createdAt, String frame,
      List<UUID> watcherIds) {

    FeedEvent {
      watcherIds = watcherIds == null ? List.of() : List.copyOf(watcherIds);
    }

    FeedEvent(long sequence, String number, UUID organisationId, UUID assigneeId, String type, UUID actorId,
        boolean isPublic, JsonObject before, JsonObject after, OffsetDateTime createdAt) {
      this(sequence, number, organisationId, assigneeId, type, actorId, isPublic, before, after, createdAt, List.of());
    }

    /** {@code watcherIds}: who watched the request when the row was read (V021), for customers' visibility. */
    FeedEvent(long sequence, String number, UUID organisationId, UUID assigneeId, String type, UUID actorId,
        boolean isPublic, JsonObject before, JsonObject after, OffsetDateTime createdAt, List<UUID> watcherIds) {
      this(sequence, number, organisationId, assigneeId, type, actorId, isPublic, before, after, createdAt,
          new JsonObject().put("type", "event").put("sequence", sequence).put("ticket", number)
              .put("event", type).put("public", isPublic).put("actorId", str(actorId))
              .put("before", before).put("after", after).put("createdAt", str(createdAt)).encode(), watcherIds);
    }
  }

  static String str(Object value) {
    // Instant's form keeps ":00" seconds that OffsetDateTime#toString drops, as the REST API does.
    if (value instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    return value == null ? null : value.toString();
  }

  private static final String MAX = "SELECT coalesce(max(sequence), 0) AS max FROM ticket_event";
  private static final String FIRST_AFTER = "SELECT created_at FROM ticket_event WHERE sequence > $1 ORDER BY sequence LIMIT 1";
  private static final String RANGE = "SELECT e.sequence, t.number, t.organisation_id, t.assignee_id, e.type, e.actor_id,"
      + " e.public, e.before, e.after, e.created_at,"
      + " ARRAY(SELECT w.user_id FROM ticket_watcher w WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id)"
      + " AS watcher_ids FROM ticket_event e"
      + " JOIN ticket t ON t.tenant_id = e.tenant_id AND t.id = e.ticket_id"
      + " WHERE e.sequence > $1 AND e.sequence <= $2 ORDER BY e.sequence LIMIT $3";
  private static final String TICKET = "SELECT t.organisation_id, EXISTS (SELECT 1 FROM ticket_watcher w"
      + " WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.user_id = $2) AS watching"
      + " FROM ticket t WHERE t.number = $1";

  private final TenantTransactions tx;

  EventFeed(TenantTransactions tx) {
    this.tx = tx;
  }

  Future<Long> maxSequence(String tenantId) {
    return tx.inTenant(tenantId, c -> c.preparedQuery(MAX).execute()
        .map(rows -> rows.iterator().next().getLong("max")));
  }

  /** When the first event after {@code after} was written; empty if there is none. */
  Future<Optional<OffsetDateTime>> firstAfter(String tenantId, long after) {
    return tx.inTenant(tenantId, c -> c.preparedQuery(FIRST_AFTER).execute(Tuple.of(after))
        .map(rows -> rows.size() == 0 ? Optional.<OffsetDateTime>empty()
            : Optional.of(rows.iterator().next().getOffsetDateTime("created_at"))));
  }

  /** Events with {@code after < sequence <= upTo}, in order, at most {@code limit}. */
  Future<List<FeedEvent>> range(String tenantId, long after, long upTo, int limit) {
    List<FeedEvent> held = fromMemory(tenantId, after, upTo, limit);
    if (held != null) {
      return Future.succeededFuture(held);
    }
    RangeKey key = new RangeKey(tenantId, after, upTo, limit);
    Promise<List<FeedEvent>> read = Promise.promise();
    Future<List<FeedEvent>> joined = inFlight.putIfAbsent(key, read.future());
    if (joined != null) {
      return joined;
    }
    readRange(tenantId, after, upTo, limit).onComplete(ar -> {
      inFlight.remove(key, read.future());
      if (ar.succeeded()) {
        remember(tenantId, ar.result());
      }
      read.handle(ar);
    });
    return read.future();
  }

  /** Rows {@code after+1 .. min(upTo, after+limit)} if every one is held and fresh; otherwise null. */
  private List<FeedEvent> fromMemory(String tenantId, long after, long upTo, int limit) {
    ConcurrentNavigableMap<Long, Recent> rows = recent.get(tenantId);
    if (rows == null || upTo <= after) {
      return null;
    }
    long last = Math.min(upTo, after + limit);
    long now = System.nanoTime();
    List<FeedEvent> out = new ArrayList<>((int) (last - after));
    for (long s = after + 1; s <= last; s++) {
      Recent r = rows.get(s);
      if (r == null || now - r.readAt() > FRESH_FOR_NANOS) {
        return null;
      }
      out.add(r.event());
    }
    return out;
  }

  private void remember(String tenantId, List<FeedEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    ConcurrentNavigableMap<Long, Recent> rows = recent.computeIfAbsent(tenantId, t -> new ConcurrentSkipListMap<>());
    long now = System.nanoTime();
    for (FeedEvent e : events) {
      rows.put(e.sequence(), new Recent(e, now));
    }
    // sequences are dense, so the key span bounds the size (size() would walk the whole map)
    while (!rows.isEmpty() && rows.lastKey() - rows.firstKey() >= RECENT_ROWS) {
      rows.pollFirstEntry();
    }
  }

  /**
   * Holds an event row that came with its signal ({@link EventSignal}), as if just read: sessions
   * whose whole range is held this way send it without a query.
   */
  void hold(String tenantId, FeedEvent signalled) {
    remember(tenantId, List.of(signalled));
  }

  static FeedEvent fromSignal(JsonObject e) {
    List<UUID> watchers = new ArrayList<>();
    e.getJsonArray(EventSignal.WATCHERS, new JsonArray()).forEach(w -> watchers.add(UUID.fromString((String) w)));
    return new FeedEvent(e.getLong(EventSignal.SEQUENCE), e.getString(EventSignal.NUMBER),
        uuid(e.getString(EventSignal.ORGANISATION)), uuid(e.getString(EventSignal.ASSIGNEE)),
        e.getString(EventSignal.TYPE), uuid(e.getString(EventSignal.ACTOR)), e.getBoolean(EventSignal.PUBLIC),
        e.getJsonObject(EventSignal.BEFORE), e.getJsonObject(EventSignal.AFTER),
        OffsetDateTime.parse(e.getString(EventSignal.CREATED_AT)), watchers);
  }

  private static UUID uuid(String s) {
    return s == null ? null : UUID.fromString(s);
  }

  /** Forgets a tenant's held rows (its last session is gone). */
  void forget(String tenantId) {
    recent.remove(tenantId);
  }

  /** Range queries sent to the database so far (the others were joined or served from memory). */
  long rangeQueries() {
    return rangeQueries.get();
  }

  private Future<List<FeedEvent>> readRange(String tenantId, long after, long upTo, int limit) {
    rangeQueries.incrementAndGet();
    return tx.inTenant(tenantId, c -> c.preparedQuery(RANGE).execute(Tuple.of(after, upTo, limit)).map(rows -> {
      List<FeedEvent> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new FeedEvent(r.getLong("sequence"), r.getString("number"), r.getUUID("organisation_id"),
            r.getUUID("assignee_id"), r.getString("type"), r.getUUID("actor_id"), r.getBoolean("public"),
            (JsonObject) r.getValue("before"), (JsonObject) r.getValue("after"), r.getOffsetDateTime("created_at"),
            java.util.Arrays.asList(r.getArrayOfUUIDs("watcher_ids"))));
      }
      return out;
    }));
  }

  /** A request's organisation, and whether {@code userId} watches it. */
  record TicketScope(UUID organisationId, boolean watching) {}

  /** The organisation of the request with this number, and whether {@code userId} watches it; empty if the tenant has none. */
  Future<Optional<TicketScope>> ticketScope(String tenantId, String number, UUID userId) {
    return tx.inTenant(tenantId, c -> c.preparedQuery(TICKET).execute(Tuple.of(number, userId))
        .map(rows -> rows.size() == 0 ? Optional.<TicketScope>empty()
            : Optional.of(new TicketScope(rows.iterator().next().getUUID("organisation_id"),
                rows.iterator().next().getBoolean("watching")))));
  }
}
