package dev.otklik.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The {@code ticket_event} row as the post-commit signal carries it ({@code "event"} next to
 * {@code "sequence"}), with what stream gateways need to decide who may see it: the request's
 * number, organisation, assignee and watchers at the change. A gateway that holds every row of a
 * range this way sends it without reading {@code ticket_event} back; a signal without the row
 * (timers, mail intake) leaves a gap that it reads from the database, as before.
 */
public final class EventSignal {

  public static final String SEQUENCE = "sequence";
  public static final String NUMBER = "number";
  public static final String ORGANISATION = "organisationId";
  public static final String ASSIGNEE = "assigneeId";
  public static final String TYPE = "type";
  public static final String ACTOR = "actorId";
  public static final String PUBLIC = "public";
  public static final String BEFORE = "before";
  public static final String AFTER = "after";
  public static final String CREATED_AT = "createdAt";
  public static final String WATCHERS = "watcherIds";

  private EventSignal() {}

  /** What is published on {@code EventBusAddresses.tenantEvents} after {@code change} committed. */
  public static JsonObject message(TicketStore.Change<?> change) {
    return new JsonObject().put(SEQUENCE, change.sequence()).put(TYPE, change.eventType())
        .put(PUBLIC, change.isPublic()).put("event", change.event());
  }

  static JsonObject row(long sequence, Ticket t, UUID actorId, String type, boolean isPublic,
      JsonObject before, JsonObject after, OffsetDateTime createdAt, List<UUID> watcherIds) {
    JsonArray watchers = new JsonArray();
    watcherIds.forEach(w -> watchers.add(w.toString()));
    return new JsonObject().put(SEQUENCE, sequence).put(NUMBER, t.number()).put(ORGANISATION, str(t.organisationId()))
        .put(ASSIGNEE, str(t.assigneeId())).put(TYPE, type).put(ACTOR, str(actorId)).put(PUBLIC, isPublic)
        .put(BEFORE, before).put(AFTER, after).put(CREATED_AT, createdAt.toInstant().truncatedTo(ChronoUnit.MICROS).toString()) // as the driver stores it
        .put(WATCHERS, watchers);
  }

  private static String str(UUID id) {
    return id == null ? null : id.toString();
  }
}
