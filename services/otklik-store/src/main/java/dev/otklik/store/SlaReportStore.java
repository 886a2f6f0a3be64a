package dev.otklik.store;

import dev.otklik.core.satisfaction.SatisfactionReport;
import dev.otklik.core.sla.ClockStatus;
import dev.otklik.core.sla.SlaReport;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.TargetType;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the stored deadlines a period's SLA report is made of ({@link SlaReport}) and its
 * satisfaction surveys ({@link SatisfactionReport}), each in one tenant transaction.
 */
public final class SlaReportStore {

  private final TenantTransactions tx;
  private final NamedSql sql = NamedSql.load("report");

  public SlaReportStore(TenantTransactions tx) {
    this.tx = tx;
    sql.get("report-rows");
    sql.get("satisfaction-rows");
  }

  /** Rows of the requests registered from {@code from} (inclusive) to {@code to} (exclusive). */
  public Future<List<SlaReport.Row>> rows(String tenantId, Instant from, Instant to) {
    NamedSql.Statement s = sql.get("report-rows");
    return tx.inTenant(tenantId, conn -> conn.preparedQuery(s.sql()).execute(s.tuple(Params.of(
            "tenant_id", tenantId, "from", from.atOffset(ZoneOffset.UTC), "to", to.atOffset(ZoneOffset.UTC))))
        .map(rows -> {
          List<SlaReport.Row> out = new ArrayList<>();
          rows.forEach(r -> {
            String type = r.getString("type");
            out.add(new SlaReport.Row(r.getUUID("ticket_id"), r.getString("category"), r.getString("priority"),
                type == null ? null : ConfigId.parse(TargetType.class, type),
                r.getString("side") == null ? null : ConfigId.parse(Side.class, r.getString("side")),
                r.getString("status") == null ? null : ConfigId.parse(ClockStatus.class, r.getString("status")),
                instant(r.getOffsetDateTime("started_at")), instant(r.getOffsetDateTime("met_at")),
                r.getLong("paused_seconds")));
          });
          return out;
        }));
  }

  /** The satisfaction surveys of the requests registered from {@code from} (inclusive) to {@code to} (exclusive). */
  public Future<List<SatisfactionReport.Row>> satisfaction(String tenantId, Instant from, Instant to) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "satisfaction-rows", Params.of("tenant_id", tenantId,
            "from", from.atOffset(ZoneOffset.UTC), "to", to.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          List<SatisfactionReport.Row> out = new ArrayList<>();
          rows.forEach(r -> {
            Short rating = r.getShort("rating");
            out.add(new SatisfactionReport.Row(r.getUUID("id"), r.getString("category"), r.getString("priority"),
                r.getUUID("assignee_id"), r.getString("assignee_name"), rating == null ? null : rating.intValue()));
          });
          return out;
        }));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
