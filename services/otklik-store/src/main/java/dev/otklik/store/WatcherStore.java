package dev.otklik.store;

import dev.otklik.core.OtklikException;
import dev.otklik.store.TicketStore.Caller;
import dev.otklik.store.TicketStore.Change;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The watchers of a request (V021 {@code ticket_watcher}): colleagues of the request's
 * organisation who get its mail (the V021 mail trigger) and see it, also in their live stream.
 *
 * <p>Rules: the request is found with the caller's scope (404 {@code ticket.not-found}
 * otherwise). Staff, and customers who are members of the request's organisation, may add and
 * remove watchers (others get 403 {@code ticket.watchers-forbidden}); anyone who sees the request
 * may remove themselves. Only enabled customers who are members of the request's organisation
 * can watch it (400 {@code ticket.watcher-invalid}, also for a person of another organisation or
 * tenant). Adding is idempotent; each real add or remove appends a public {@code watcher-added} or
 * {@code watcher-removed} event (with its outbox row) in the same transaction.
 */
public final class WatcherStore {

  /** Most candidates one call lists. */
  public static final int MAX_CANDIDATES = 500;

  private static final NamedSql SQL = NamedSql.load("watcher");

  static {
    for (String name : List.of("list-watchers", "list-watchers-of-number", "find-candidate", "list-candidates", "insert-watcher",
        "delete-watcher")) {
      SQL.get(name);
    }
  }

  /** Someone watching a request. */
  public record Watcher(UUID userId, String displayName, UUID addedBy, OffsetDateTime addedAt) {}

  /** Someone who could be added. */
  public record Candidate(UUID userId, String displayName, String email) {}

  /**
   * The watchers after an add or a remove, and the change with its event; {@code change} is null
   * when nothing changed (already watching, or not watching).
   */
  public record Update(List<Watcher> watchers, Change<UUID> change) {}

  private final TenantTransactions tx;
  private final Clock clock;
  private final TicketStore tickets;

  public WatcherStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
    this.tickets = new TicketStore(tx, clock);
  }

  public Future<List<Watcher>> list(String tenantId, Caller caller, String number) {
    return tx.inTenant(tenantId, conn -> tickets.findVisible(conn, tenantId, caller, number)
        .compose(t -> load(conn, tenantId, t.id())));
  }

  /** Enabled customers of the request's organisation who are not watching yet (at most {@link #MAX_CANDIDATES}). */
  public Future<List<Candidate>> candidates(String tenantId, Caller caller, String number) {
    return tx.inTenant(tenantId, conn -> tickets.findVisible(conn, tenantId, caller, number)
        .compose(t -> requireManager(caller, t, null))
        .compose(t -> SQL.run(conn, "list-candidates", Params.of("tenant_id", tenantId,
            "organisation_id", t.organisationId(), "ticket_id", t.id(), "limit", MAX_CANDIDATES)))
        .map(rows -> {
          List<Candidate> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Candidate(r.getUUID("id"), r.getString("display_name"), r.getString("email"))));
          return out;
        }));
  }

  /** Adds {@code userId} as a watcher (idempotent). */
  public Future<Update> add(String tenantId, Caller caller, String number, UUID userId) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> tickets.lock(conn, tenantId, caller, number)
        .compose(t -> requireManager(caller, t, null))
        .compose(t -> SQL.run(conn, "find-candidate", Params.of("tenant_id", tenantId, "user_id", userId,
                "organisation_id", t.organisationId()))
            .compose(found -> {
              if (found.size() == 0) {
                return Future.failedFuture(OtklikException.badRequest("ticket.watcher-invalid", userId));
              }
              String name = found.iterator().next().getString("display_name");
              return SQL.run(conn, "insert-watcher", Params.of("tenant_id", tenantId, "ticket_id", t.id(),
                      "user_id", userId, "added_by", caller.userId(), "now", now))
                  .compose(inserted -> inserted.size() == 0 ? Future.<Change<UUID>>succeededFuture(null)
                      : tickets.announce(conn, t, caller.userId(), "watcher-added", true, null,
                              who(userId, name), now)
                          .map(a -> a.change(userId)));
            })
            .compose(change -> load(conn, tenantId, t.id()).map(w -> new Update(w, change)))));
  }

  /** Removes {@code userId} from the watchers (idempotent). */
  public Future<Update> remove(String tenantId, Caller caller, String number, UUID userId) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> tickets.lock(conn, tenantId, caller, number)
        .compose(t -> requireManager(caller, t, userId))
        .compose(t -> SQL.run(conn, "delete-watcher", Params.of("tenant_id", tenantId, "ticket_id", t.id(),
                "user_id", userId))
            .compose(deleted -> {
              if (deleted.size() == 0) {
                return Future.<Change<UUID>>succeededFuture(null);
              }
              Row r = deleted.iterator().next();
              return tickets.announce(conn, t, caller.userId(), "watcher-removed", true,
                      who(userId, r.getString("display_name")), null, now)
                  .map(a -> a.change(userId));
            })
            .compose(change -> load(conn, tenantId, t.id()).map(w -> new Update(w, change)))));
  }

  /** The watchers of a request, in the order they were added (inside a transaction that found it). */
  static Future<List<Watcher>> load(SqlConnection conn, String tenantId, UUID ticketId) {
    return load(conn, "list-watchers", Params.of("tenant_id", tenantId, "ticket_id", ticketId));
  }

  /** As {@link #load(SqlConnection, String, UUID)} by number, not checking the caller's scope (see DeadlineRows#loadByNumber). */
  static Future<List<Watcher>> loadByNumber(SqlConnection conn, String tenantId, String number) {
    return load(conn, "list-watchers-of-number", Params.of("tenant_id", tenantId, "number", number));
  }

  private static Future<List<Watcher>> load(SqlConnection conn, String statement, Map<String, Object> values) {
    return SQL.run(conn, statement, values).map(rows -> {
      List<Watcher> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Watcher(r.getUUID("user_id"), r.getString("display_name"), r.getUUID("added_by"),
          r.getOffsetDateTime("added_at"))));
      return out;
    });
  }

  /** Staff, or a member of the request's organisation; anyone who sees it may remove themselves ({@code self}). */
  private static Future<Ticket> requireManager(Caller caller, Ticket t, UUID self) {
    if (caller.covers(t.organisationId()) || caller.userId().equals(self)) {
      return Future.succeededFuture(t);
    }
    return Future.failedFuture(OtklikException.forbidden("ticket.watchers-forbidden", t.number()));
  }

  private static JsonObject who(UUID userId, String displayName) {
    return new JsonObject().put("userId", userId.toString()).put("displayName", displayName);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
