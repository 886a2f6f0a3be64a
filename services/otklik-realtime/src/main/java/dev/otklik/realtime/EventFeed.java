package dev.otklik.realtime;

import dev.otklik.store.TenantTransactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads {@code ticket_event}, the source of truth the stream replays and forwards from. */
final class EventFeed {

  /** One event with what the gateway needs to decide who may see it. */
  record FeedEvent(long sequence, String number, UUID organisationId, UUID assigneeId, String type, UUID actorId,
      boolean isPublic, JsonObject before, JsonObject after, OffsetDateTime createdAt) {}

  private static final String MAX = "SELECT coalesce(max(sequence), 0) AS max FROM ticket_event";
  private static final String FIRST_AFTER = "SELECT created_at FROM ticket_event WHERE sequence > $1 ORDER BY sequence LIMIT 1";
  private static final String RANGE = "SELECT e.sequence, t.number, t.organisation_id, t.assignee_id, e.type, e.actor_id,"
      + " e.public, e.before, e.after, e.created_at FROM ticket_event e"
      + " JOIN ticket t ON t.tenant_id = e.tenant_id AND t.id = e.ticket_id"
      + " WHERE e.sequence > $1 AND e.sequence <= $2 ORDER BY e.sequence LIMIT $3";
  private static final String TICKET = "SELECT organisation_id FROM ticket WHERE number = $1";

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
    return tx.inTenant(tenantId, c -> c.preparedQuery(RANGE).execute(Tuple.of(after, upTo, limit)).map(rows -> {
      List<FeedEvent> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new FeedEvent(r.getLong("sequence"), r.getString("number"), r.getUUID("organisation_id"),
            r.getUUID("assignee_id"), r.getString("type"), r.getUUID("actor_id"), r.getBoolean("public"),
            (JsonObject) r.getValue("before"), (JsonObject) r.getValue("after"), r.getOffsetDateTime("created_at")));
      }
      return out;
    }));
  }

  /** The organisation of the request with this number; empty if the tenant has none. */
  Future<Optional<UUID>> ticketOrganisation(String tenantId, String number) {
    return tx.inTenant(tenantId, c -> c.preparedQuery(TICKET).execute(Tuple.of(number))
        .map(rows -> rows.size() == 0 ? Optional.<UUID>empty()
            : Optional.of(rows.iterator().next().getUUID("organisation_id"))));
  }
}
