package dev.otklik.store;

import dev.otklik.core.sla.ClockStatus;
import dev.otklik.core.sla.SlaClock;
import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TargetType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads and writes {@code ticket_deadline} rows (sql/deadline.sql) inside a ticket transaction. */
final class DeadlineRows {

  private final NamedSql sql = NamedSql.load("deadline");

  DeadlineRows() {
    for (String name : List.of("list-deadlines", "list-deadlines-of-number", "list-deadlines-of-tickets",
        "upsert-deadline", "delete-deadline", "delete-unfired-timers", "delete-timers", "insert-timer", "claim-due-timers", "lock-ticket-by-id", "mark-breached",
        "find-running-deadline", "mark-fired", "insert-workflow-timer", "cancel-workflow-timer",
        "cancel-all-workflow-timers", "lock-open-tickets-after", "current-config-version", "stamp-open-deadlines")) {
      sql.get(name);
    }
  }

  Future<List<TicketDeadline>> load(SqlConnection conn, String tenantId, UUID ticketId) {
    return load(conn, "list-deadlines", Map.of("tenant_id", tenantId, "ticket_id", ticketId));
  }

  /**
   * The deadlines of the request with this number, not checking the caller's scope: for a read
   * that sends it together with the scoped find (one round trip) and drops it when that finds nothing.
   */
  Future<List<TicketDeadline>> loadByNumber(SqlConnection conn, String tenantId, String number) {
    return load(conn, "list-deadlines-of-number", Map.of("tenant_id", tenantId, "number", number));
  }

  /** The deadlines of these requests, by request id; a request without any is absent. One statement. */
  Future<Map<UUID, List<TicketDeadline>>> loadOf(SqlConnection conn, String tenantId, List<UUID> ticketIds) {
    if (ticketIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    NamedSql.Statement s = sql.get("list-deadlines-of-tickets");
    return conn.preparedQuery(s.sql())
        .execute(s.tuple(Map.of("tenant_id", tenantId, "ticket_ids", ticketIds.toArray(UUID[]::new))))
        .map(rows -> {
          Map<UUID, List<TicketDeadline>> out = new HashMap<>();
          rows.forEach(row -> out.computeIfAbsent(row.getUUID("ticket_id"), id -> new ArrayList<>()).add(deadline(row)));
          return out;
        });
  }

  private Future<List<TicketDeadline>> load(SqlConnection conn, String statement, Map<String, Object> values) {
    NamedSql.Statement s = sql.get(statement);
    return conn.preparedQuery(s.sql()).execute(s.tuple(values))
        .map(rows -> {
          List<TicketDeadline> out = new ArrayList<>();
          rows.forEach(row -> out.add(deadline(row)));
          return out;
        });
  }

  /**
   * Writes the clocks that differ from {@code before} (new ones under {@code slaVersion}; changed
   * ones keep the version they had unless {@code retargeted}) and deletes {@code removed}.
   */
  Future<Void> write(SqlConnection conn, String tenantId, UUID ticketId, Integer configVersion,
      List<TicketDeadline> before, List<SlaClock> after, List<String> removed, String slaVersion,
      boolean retargeted, OffsetDateTime now) {
    Map<String, TicketDeadline> old = new HashMap<>();
    before.forEach(d -> old.put(d.clock().targetId(), d));
    // Each kind of statement goes as one batch (one round trip) for all the clocks it touches.
    List<Map<String, Object>> upserts = new ArrayList<>();
    List<Map<String, Object>> staleTimers = new ArrayList<>();
    List<Map<String, Object>> timers = new ArrayList<>();
    for (SlaClock c : after) {
      TicketDeadline was = old.get(c.targetId());
      if (was != null && was.clock().equals(c)) {
        continue;
      }
      String version = was == null || retargeted ? slaVersion : was.slaVersion();
      Integer config = was == null || retargeted ? configVersion : was.configVersion();
      upserts.add(params(tenantId, ticketId, c, version, config, now));
      if (was != null) { // a new deadline has no timers yet
        staleTimers.add(Params.of("tenant_id", tenantId, "ticket_id", ticketId, "target_id", c.targetId()));
      }
      timers.addAll(timers(tenantId, ticketId, c));
    }
    List<Map<String, Object>> gone = removed.stream()
        .map(target -> Params.of("tenant_id", tenantId, "ticket_id", ticketId, "target_id", target)).toList();
    // sent together: PostgreSQL runs them in this order on the one connection, and a creating
    // transaction holding its number counter's lock waits for no reply between them
    return Future.join(List.of(batch(conn, "upsert-deadline", upserts),
        batch(conn, "delete-unfired-timers", staleTimers), batch(conn, "insert-timer", timers),
        batch(conn, "delete-timers", gone), batch(conn, "delete-deadline", gone))).mapEmpty();
  }

  /** A running deadline's timers: a warning at warn_at and a breach at due_at (the old unfired ones are deleted first). */
  private static List<Map<String, Object>> timers(String tenantId, UUID ticketId, SlaClock c) {
    if (c.status() != ClockStatus.RUNNING) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    if (c.warnAt() != null) {
      out.add(Params.of("tenant_id", tenantId, "id", UUID.randomUUID(), "ticket_id", ticketId,
          "target_id", c.targetId(), "kind", "warning", "due_at", odt(c.warnAt())));
    }
    out.add(Params.of("tenant_id", tenantId, "id", UUID.randomUUID(), "ticket_id", ticketId,
        "target_id", c.targetId(), "kind", "breach", "due_at", odt(c.dueAt())));
    return out;
  }

  private Future<Void> batch(SqlConnection conn, String statement, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    NamedSql.Statement s = sql.get(statement);
    if (rows.size() == 1) {
      return conn.preparedQuery(s.sql()).execute(s.tuple(rows.get(0))).mapEmpty();
    }
    return conn.preparedQuery(s.sql()).executeBatch(rows.stream().map(s::tuple).toList()).mapEmpty();
  }

  NamedSql sql() {
    return sql;
  }

  private static Map<String, Object> params(String tenantId, UUID ticketId, SlaClock c, String slaVersion,
      Integer configVersion, OffsetDateTime now) {
    Map<String, Object> p = new HashMap<>();
    p.put("tenant_id", tenantId);
    p.put("ticket_id", ticketId);
    p.put("target_id", c.targetId());
    p.put("cell_id", c.cellId());
    p.put("type", ConfigId.of(c.type()));
    p.put("side", ConfigId.of(c.side()));
    p.put("sla_version", slaVersion);
    p.put("config_version", configVersion);
    p.put("starts_on", ConfigId.of(c.startsOn()));
    p.put("stops_on", ConfigId.of(c.stopsOn()));
    p.put("duration", c.duration().toString());
    p.put("warn_before", c.target().warnBefore().map(SlaDuration::toString).orElse(null));
    p.put("status", ConfigId.of(c.status()));
    p.put("started_at", odt(c.startedAt()));
    p.put("paused_at", odt(c.pausedAt()));
    p.put("paused_seconds", c.pausedTotal().getSeconds());
    p.put("due_at", odt(c.dueAt()));
    p.put("warn_at", odt(c.warnAt()));
    p.put("met_at", odt(c.metAt()));
    p.put("breached_at", odt(c.breachedAt()));
    p.put("explanation", c.explanation().toArray(String[]::new));
    p.put("now", now);
    return p;
  }

  static TicketDeadline deadline(Row row) {
    String warn = row.getString("warn_before");
    String[] lines = row.getArrayOfStrings("explanation");
    SlaTarget target = new SlaTarget(row.getString("target_id"),
        ConfigId.parse(TargetType.class, row.getString("type")), ConfigId.parse(Side.class, row.getString("side")),
        ConfigId.parse(ClockStart.class, row.getString("starts_on")),
        ConfigId.parse(ClockStop.class, row.getString("stops_on")), SlaDuration.parse(row.getString("duration")),
        Optional.ofNullable(warn).map(SlaDuration::parse), Optional.empty());
    SlaClock clock = new SlaClock(target, row.getString("cell_id"),
        ConfigId.parse(ClockStatus.class, row.getString("status")),
        instant(row, "started_at"), instant(row, "paused_at"), Duration.ofSeconds(row.getLong("paused_seconds")),
        instant(row, "due_at"), instant(row, "warn_at"), instant(row, "met_at"), instant(row, "breached_at"),
        lines == null ? List.of() : List.of(lines));
    return new TicketDeadline(clock, row.getString("sla_version"), row.getInteger("config_version"));
  }

  /** A short form for event before/after: target, cell, status, due. */
  static JsonArray summary(List<SlaClock> clocks) {
    JsonArray out = new JsonArray();
    for (SlaClock c : clocks) {
      out.add(new JsonObject().put("target", c.targetId()).put("cell", c.cellId()).put("duration",
          c.duration().toString()).put("status", ConfigId.of(c.status()))
          .put("dueAt", c.dueAt() == null ? null : c.dueAt().toString()));
    }
    return out;
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime odt(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
