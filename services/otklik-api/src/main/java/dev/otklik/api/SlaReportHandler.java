package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.core.sla.SlaReport;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.TargetType;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.store.SlaReportStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * {@code GET /api/v1/tenants/:tenantId/reports/sla?from=&to=&format=json|csv}: the SLA report
 * ({@link SlaReport}) of the requests registered from {@code from} to {@code to} (dates, both
 * inclusive, in the tenant's time zone), for coordinators and tenant admins. Durations are
 * business seconds on the tenant's calendar. CSV: UTF-8 with a header row.
 *
 * <p>Refusals: 403 {@code report.forbidden} for other roles, 400 {@code report.period-invalid}
 * for a missing or unreadable date or {@code to} before {@code from} (or more than 366 days),
 * 400 {@code ticket.value-unknown} for another format, 409 {@code report.calendar-unavailable}
 * when the tenant has no business calendar.
 */
final class SlaReportHandler {

  static final Set<Role> READERS = Set.of(Role.COORDINATOR, Role.TENANT_ADMIN);

  private final TenantSource tenants;
  private final SlaReportStore store;

  SlaReportHandler(TenantSource tenants, SlaReportStore store) {
    this.tenants = tenants;
    this.store = store;
  }

  void sla(RoutingContext ctx) {
    AccessClaims me = AuthGuard.principal(ctx);
    if (!READERS.contains(me.role())) {
      throw OtklikException.forbidden("report.forbidden");
    }
    LocalDate from = date(ctx, "from");
    LocalDate to = date(ctx, "to");
    if (to.isBefore(from) || from.plusDays(366).isBefore(to)) {
      throw OtklikException.badRequest("report.period-invalid", "to", String.valueOf(to));
    }
    String format = ctx.queryParams().get("format") == null ? "json" : ctx.queryParams().get("format");
    if (!format.equals("json") && !format.equals("csv")) {
      throw OtklikException.badRequest("ticket.value-unknown", "format", format);
    }
    String tenantId = me.tenantId();
    BusinessCalendar calendar = tenants.calendar(tenantId)
        .orElseThrow(() -> new OtklikException(409, "report.calendar-unavailable", tenantId));
    ZoneId zone = calendar.zone();
    store.rows(tenantId, from.atStartOfDay(zone).toInstant(), to.plusDays(1).atStartOfDay(zone).toInstant())
        .map(rows -> SlaReport.of(rows, calendar))
        .onSuccess(report -> {
          if (format.equals("csv")) {
            ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"sla-" + from + "-" + to + ".csv\"")
                .end(csv(report));
          } else {
            ctx.response().putHeader("Content-Type", "application/json")
                .end(json(report, from, to).encode());
          }
        })
        .onFailure(ctx::fail);
  }

  private static LocalDate date(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      throw OtklikException.badRequest("report.period-invalid", name, "");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw OtklikException.badRequest("report.period-invalid", name, value);
    }
  }

  static JsonObject json(SlaReport.Result report, LocalDate from, LocalDate to) {
    JsonArray groups = new JsonArray();
    for (SlaReport.Group g : report.groups()) {
      JsonObject targets = new JsonObject();
      for (TargetType t : report.types()) {
        targets.put(ConfigId.of(t), new JsonObject().put("met", g.met(t)).put("breached", g.breached(t)));
      }
      groups.add(new JsonObject().put("category", g.category()).put("priority", g.priority())
          .put("requests", g.requests()).put("targets", targets)
          .put("reactionMedianSeconds", g.reactionMedian()).put("reactionP90Seconds", g.reactionP90())
          .put("resolutionMedianSeconds", g.resolutionMedian()).put("resolutionP90Seconds", g.resolutionP90())
          .put("customerDelays", g.customerDelays()));
    }
    return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("timeUnit", "business-seconds")
        .put("groups", groups);
  }

  static String csv(SlaReport.Result report) {
    StringBuilder out = new StringBuilder("category,priority,requests");
    for (TargetType t : report.types()) {
      out.append(',').append(ConfigId.of(t)).append("_met,").append(ConfigId.of(t)).append("_breached");
    }
    out.append(",reaction_median_s,reaction_p90_s,resolution_median_s,resolution_p90_s,customer_delays\r\n");
    for (SlaReport.Group g : report.groups()) {
      out.append(cell(g.category())).append(',').append(cell(g.priority())).append(',').append(g.requests());
      for (TargetType t : report.types()) {
        out.append(',').append(g.met(t)).append(',').append(g.breached(t));
      }
      out.append(',').append(number(g.reactionMedian())).append(',').append(number(g.reactionP90()))
          .append(',').append(number(g.resolutionMedian())).append(',').append(number(g.resolutionP90()))
          .append(',').append(g.customerDelays()).append("\r\n");
    }
    return out.toString();
  }

  private static String number(Long value) {
    return value == null ? "" : value.toString();
  }

  /** RFC 4180 quoting; a leading formula character is defused for spreadsheets. */
  private static String cell(String value) {
    if (value == null) {
      return "";
    }
    String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
        ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }
}
