package dev.otklik.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Mail in and out (V011): the mail outbox the dispatcher claims, the inbound messages with their
 * raw bytes, the quarantine, and customers' opt-outs from non-contractual mail. Methods taking a
 * {@link SqlConnection} run inside a transaction the caller opened with
 * {@link TenantTransactions#inTenant}; the others open their own.
 */
public final class MailStore {

  private final TenantTransactions tx;
  private final Clock clock;
  private final NamedSql sql;

  public MailStore(TenantTransactions tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
    this.sql = NamedSql.load("mail");
    for (String name : List.of("claim-due", "mark-sent", "mark-skipped", "mark-retry", "insert-direct",
        "list-outbox", "ticket-context", "recipient-context", "event-context", "staff-supervisors", "thread-message-ids",
        "notice-context", "notice-delivered", "insert-inbound", "find-inbound-by-key", "lock-received",
        "pending-inbound", "finish-inbound", "ticket-by-message-ids", "ticket-by-number", "list-inbound",
        "inbound-raw", "retry-inbound", "opt-out", "opt-in", "is-opted-out", "record-failure")) {
      sql.get(name);
    }
  }

  public TenantTransactions transactions() {
    return tx;
  }

  public Clock clock() {
    return clock;
  }

  // ---------------------------------------------------------------- outbound

  /** A claimed outbox row. {@code attempts} counts this attempt. */
  public record Outgoing(UUID id, String kind, Long eventSequence, UUID ticketId, JsonObject payload, int attempts,
      OffsetDateTime createdAt) {}

  /** Claims up to {@code limit} due rows of the tenant for {@code lease}. */
  public Future<List<Outgoing>> claimDue(String tenantId, int limit, Duration lease) {
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "claim-due", Params.of("tenant_id", tenantId, "now", now,
            "lease_until", now.plus(lease), "limit", limit))
        .map(rows -> map(rows, r -> new Outgoing(r.getUUID("id"), r.getString("kind"), r.getLong("event_sequence"),
            r.getUUID("ticket_id"), (JsonObject) r.getValue("payload"), r.getInteger("attempts"),
            r.getOffsetDateTime("created_at"))))
        // UPDATE ... RETURNING does not keep the subquery's order: send in the order things happened
        .map(list -> list.stream().sorted(java.util.Comparator.comparing(Outgoing::createdAt)
            .thenComparing(o -> o.eventSequence() == null ? Long.MAX_VALUE : o.eventSequence())).toList()));
  }

  public Future<Void> markSent(String tenantId, UUID id, String messageId, List<String> recipients) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "mark-sent", Params.of("tenant_id", tenantId, "id", id,
        "now", now(), "message_id", messageId, "recipients", recipients.toArray(String[]::new)))).mapEmpty();
  }

  /** Nothing to send (no recipient, opted out, ...): recorded with the reason, never retried. */
  public Future<Void> markSkipped(String tenantId, UUID id, String reason) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "mark-skipped", Params.of("tenant_id", tenantId, "id", id,
        "reason", reason))).mapEmpty();
  }

  /** A failed attempt: tried again at {@code nextAttempt}, or given up ({@code giveUp}). */
  public Future<Void> markRetry(String tenantId, UUID id, String error, OffsetDateTime nextAttempt, boolean giveUp) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "mark-retry", Params.of("tenant_id", tenantId, "id", id,
        "state", giveUp ? "failed" : "pending", "error", truncate(error, 2000), "next_attempt_at", nextAttempt)))
        .mapEmpty();
  }

  /** A mail written by the intake (a forward, an answer to an unregistered sender), in its transaction. */
  public Future<UUID> insertDirect(SqlConnection conn, String tenantId, String kind, UUID ticketId,
      JsonObject payload) {
    UUID id = UUID.randomUUID();
    return sql.run(conn, "insert-direct", Params.of("id", id, "tenant_id", tenantId, "kind", kind,
        "ticket_id", ticketId, "payload", payload, "now", now())).map(id);
  }

  /** Every outbox row of the tenant, oldest first (tests and diagnostics). */
  public Future<List<JsonObject>> listOutbox(String tenantId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "list-outbox", Params.of("tenant_id", tenantId))
        .map(rows -> map(rows, Row::toJson)));
  }

  /** The request a notification is about, with requester and assignee; empty if it is gone. */
  public Future<Optional<JsonObject>> ticketContext(String tenantId, UUID ticketId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "ticket-context", Params.of("tenant_id", tenantId,
            "ticket_id", ticketId))
        .map(rows -> rows.size() == 0 ? Optional.<JsonObject>empty() : Optional.of(rows.iterator().next().toJson())));
  }

  /**
   * A watcher of the request as a mail recipient: {@code email, display_name, locale, enabled,
   * opted_out, watching}; empty if the tenant has no such user.
   */
  public Future<Optional<JsonObject>> recipientContext(String tenantId, UUID ticketId, UUID userId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "recipient-context", Params.of("tenant_id", tenantId,
            "ticket_id", ticketId, "user_id", userId))
        .map(rows -> rows.size() == 0 ? Optional.<JsonObject>empty() : Optional.of(rows.iterator().next().toJson())));
  }

  public Future<Optional<JsonObject>> eventContext(String tenantId, long sequence) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "event-context", Params.of("tenant_id", tenantId,
            "sequence", sequence))
        .map(rows -> rows.size() == 0 ? Optional.<JsonObject>empty() : Optional.of(rows.iterator().next().toJson())));
  }

  public Future<List<JsonObject>> supervisors(String tenantId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "staff-supervisors", Params.of("tenant_id", tenantId))
        .map(rows -> map(rows, Row::toJson)));
  }

  public Future<List<String>> threadMessageIds(String tenantId, UUID ticketId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "thread-message-ids", Params.of("tenant_id", tenantId,
            "ticket_id", ticketId))
        .map(rows -> map(rows, r -> r.getString("message_id"))));
  }

  public Future<Optional<JsonObject>> noticeContext(String tenantId, UUID noticeId, UUID userId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "notice-context", Params.of("tenant_id", tenantId,
            "notice_id", noticeId, "user_id", userId))
        .map(rows -> rows.size() == 0 ? Optional.<JsonObject>empty() : Optional.of(rows.iterator().next().toJson())));
  }

  public Future<Void> noticeDelivered(String tenantId, UUID noticeId, UUID userId, String state) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "notice-delivered", Params.of("tenant_id", tenantId,
        "notice_id", noticeId, "user_id", userId, "state", state))).mapEmpty();
  }

  // ---------------------------------------------------------------- inbound

  /** The outcome of recording a message: its row, and whether it had been received before. */
  public record Received(UUID id, boolean duplicate, String state, String outcome, UUID ticketId) {}

  /**
   * Records a raw message (committed before this completes). A message with a dedup key already
   * recorded is not stored again: the earlier row comes back with {@code duplicate = true}.
   */
  public Future<Received> receive(String tenantId, String dedupKey, String messageId, String source, byte[] raw,
      String sender, String subject) {
    UUID id = UUID.randomUUID();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "insert-inbound", Params.of("id", id, "tenant_id", tenantId,
            "dedup_key", truncate(dedupKey, 1000), "message_id", truncate(messageId, 1000), "source", source,
            "raw", Buffer.buffer(raw), "size_bytes", raw.length, "sender", truncate(sender, 500),
            "subject", truncate(subject, 1000), "now", now()))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(new Received(id, false, "received", null, null))
            : sql.run(conn, "find-inbound-by-key", Params.of("tenant_id", tenantId, "dedup_key", truncate(dedupKey, 1000)))
                .map(found -> {
                  Row r = found.iterator().next();
                  return new Received(r.getUUID("id"), true, r.getString("state"), r.getString("outcome"),
                      r.getUUID("ticket_id"));
                })));
  }

  /** A received (unprocessed) message, locked for this transaction; empty if another node has it or it is done. */
  public record Pending(UUID id, byte[] raw, String source, int attempts) {}

  public Future<Optional<Pending>> lockReceived(SqlConnection conn, String tenantId, UUID id) {
    return sql.run(conn, "lock-received", Params.of("tenant_id", tenantId, "id", id))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Pending(r.getUUID("id"), r.getBuffer("raw").getBytes(), r.getString("source"),
              r.getInteger("attempts")));
        });
  }

  public Future<List<UUID>> pendingInbound(String tenantId, int limit) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "pending-inbound", Params.of("tenant_id", tenantId,
        "limit", limit)).map(rows -> map(rows, r -> r.getUUID("id"))));
  }

  /** Records what became of a message, in the transaction of the change it caused. */
  public Future<Void> finishInbound(SqlConnection conn, String tenantId, UUID id, String state, String outcome,
      String problem, UUID ticketId) {
    return sql.run(conn, "finish-inbound", Params.of("tenant_id", tenantId, "id", id, "state", state,
        "outcome", outcome, "problem", truncate(problem, 2000), "ticket_id", ticketId, "now", now())).mapEmpty();
  }

  /** Quarantines a message in its own transaction (when the processing transaction failed). */
  public Future<Void> quarantine(String tenantId, UUID id, String problem) {
    return tx.inTenant(tenantId, conn -> finishInbound(conn, tenantId, id, "quarantined", "quarantined", problem,
        null));
  }

  /** Counts a failed processing attempt of a still 'received' message; the attempts so far (0: not received). */
  public Future<Integer> recordFailure(String tenantId, UUID id, String problem) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "record-failure", Params.of("tenant_id", tenantId, "id", id,
            "problem", truncate(problem, 2000)))
        .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger("attempts")));
  }

  /** A request found by number or by the Message-IDs a reply answers. */
  public record TicketRef(UUID id, String number) {}

  public Future<Optional<TicketRef>> ticketByMessageIds(SqlConnection conn, String tenantId, List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return sql.run(conn, "ticket-by-message-ids", Params.of("tenant_id", tenantId, "ids", ids.toArray(String[]::new)))
        .map(rows -> rows.size() == 0 ? Optional.<TicketRef>empty()
            : Optional.of(new TicketRef(rows.iterator().next().getUUID("id"), rows.iterator().next().getString("number"))));
  }

  public Future<Optional<TicketRef>> ticketByNumber(SqlConnection conn, String tenantId, String number) {
    return sql.run(conn, "ticket-by-number", Params.of("tenant_id", tenantId, "number", number))
        .map(rows -> rows.size() == 0 ? Optional.<TicketRef>empty()
            : Optional.of(new TicketRef(rows.iterator().next().getUUID("id"), rows.iterator().next().getString("number"))));
  }

  /** An inbound message as listed to admins (no raw bytes). */
  public record InboundSummary(UUID id, String dedupKey, String messageId, String source, int sizeBytes, String sender,
      String subject, String state, String outcome, String problem, String ticketNumber, int attempts,
      OffsetDateTime receivedAt, OffsetDateTime processedAt) {}

  /** Inbound messages, newest first; {@code state} null for all. */
  public Future<Page<InboundSummary>> listInbound(String tenantId, String state, int offset, int limit) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "list-inbound", Params.of("tenant_id", tenantId, "state", state,
            "offset", (long) offset, "limit", (long) limit))
        .map(rows -> Page.of(rows, r -> new InboundSummary(r.getUUID("id"), r.getString("dedup_key"),
            r.getString("message_id"), r.getString("source"), r.getInteger("size_bytes"), r.getString("sender"),
            r.getString("subject"), r.getString("state"), r.getString("outcome"), r.getString("problem"),
            r.getString("ticket_number"), r.getInteger("attempts"), r.getOffsetDateTime("received_at"),
            r.getOffsetDateTime("processed_at")))));
  }

  /** The raw bytes of an inbound message. */
  public Future<Optional<byte[]>> inboundRaw(String tenantId, UUID id) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "inbound-raw", Params.of("tenant_id", tenantId, "id", id))
        .map(rows -> rows.size() == 0 ? Optional.<byte[]>empty()
            : Optional.of(rows.iterator().next().getBuffer("raw").getBytes())));
  }

  /** Puts a quarantined message back to 'received'; false if there is no such quarantined message. */
  public Future<Boolean> retryInbound(String tenantId, UUID id) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "retry-inbound", Params.of("tenant_id", tenantId, "id", id))
        .map(rows -> rows.size() > 0));
  }

  // ---------------------------------------------------------------- preferences

  public Future<Void> setOptOut(String tenantId, UUID userId, boolean optedOut) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, optedOut ? "opt-out" : "opt-in", optedOut
        ? Params.of("tenant_id", tenantId, "user_id", userId, "now", now())
        : Params.of("tenant_id", tenantId, "user_id", userId))).mapEmpty();
  }

  public Future<Boolean> isOptedOut(String tenantId, UUID userId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "is-opted-out", Params.of("tenant_id", tenantId,
        "user_id", userId)).map(rows -> rows.iterator().next().getLong("n") > 0));
  }

  // ---------------------------------------------------------------- helpers


  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private static <T> List<T> map(RowSet<Row> rows, java.util.function.Function<Row, T> item) {
    List<T> out = new ArrayList<>();
    rows.forEach(r -> out.add(item.apply(r)));
    return out;
  }
}
