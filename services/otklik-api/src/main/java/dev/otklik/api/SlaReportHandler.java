package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.core.satisfaction.SatisfactionReport;
import dev.otklik.core.satisfaction.Surveys;
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
 * <p>Satisfaction ({@link SatisfactionReport}): the surveys of the same requests (a request
 * closed twice has two), per group and in total, and per agent (the assignee when the request
 * closed): surveys sent, answered, response rate, average rating and the 1-5 distribution. In
 * CSV the group rows carry the satisfaction columns, and after an empty line a second table has
 * the total and one row per agent.
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
    java.time.Instant start = from.atStartOfDay(zone).toInstant();
    java.time.Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
    store.rows(tenantId, start, end)
        .map(rows -> SlaReport.of(rows, calendar))
        .compose(report -> store.satisfaction(tenantId, start, end)
            .map(rows -> new Both(report, SatisfactionReport.of(rows))))
        .onSuccess(both -> {
          if (format.equals("csv")) {
            ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"sla-" + from + "-" + to + ".csv\"")
                .end(csv(both.report(), both.satisfaction()));
          } else {
            ctx.response().putHeader("Content-Type", "application/json")
                .end(json(both.report(), both.satisfaction(), from, to).encode());
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

  private record Both(SlaReport.Result report, SatisfactionReport.Result satisfaction) {}

  static JsonObject json(SlaReport.Result report, SatisfactionReport.Result satisfaction, LocalDate from,
      LocalDate to) {
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
          .put("customerDelays", g.customerDelays())
          .put("satisfaction", figures(satisfaction.group(g.category(), g.priority()))));
    }
    JsonArray agents = new JsonArray();
    for (SatisfactionReport.Agent a : satisfaction.agents()) {
      agents.add(figures(a.figures()).put("agentId", a.agentId() == null ? null : a.agentId().toString())
          .put("agentName", a.agentName()));
    }
    return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("timeUnit", "business-seconds")
        .put("groups", groups)
        .put("satisfaction", figures(satisfaction.total()).put("agents", agents));
  }

  /** Sent, answered, response rate (0-1), average rating and the count of each rating 1-5. */
  private static JsonObject figures(SatisfactionReport.Figures f) {
    JsonObject distribution = new JsonObject();
    for (int r = Surveys.MIN_RATING; r <= Surveys.MAX_RATING; r++) {
      distribution.put(Integer.toString(r), f.count(r));
    }
    return new JsonObject().put("sent", f.sent()).put("answered", f.answered()).put("responseRate", f.responseRate())
        .put("averageRating", f.averageRating()).put("distribution", distribution);
  }

  static String csv(SlaReport.Result report, SatisfactionReport.Result satisfaction) {
    StringBuilder out = new StringBuilder("category,priority,requests");
    for (TargetType t : report.types()) {
      out.append(',').append(ConfigId.of(t)).append("_met,").append(ConfigId.of(t)).append("_breached");
    }
    out.append(",reaction_median_s,reaction_p90_s,resolution_median_s,resolution_p90_s,customer_delays,")
        .append(SATISFACTION_COLUMNS).append("\r\n");
    for (SlaReport.Group g : report.groups()) {
      out.append(cell(g.category())).append(',').append(cell(g.priority())).append(',').append(g.requests());
      for (TargetType t : report.types()) {
        out.append(',').append(g.met(t)).append(',').append(g.breached(t));
      }
      out.append(',').append(number(g.reactionMedian())).append(',').append(number(g.reactionP90()))
          .append(',').append(number(g.resolutionMedian())).append(',').append(number(g.resolutionP90()))
          .append(',').append(g.customerDelays())
          .append(',').append(figuresCsv(satisfaction.group(g.category(), g.priority()))).append("\r\n");
    }
    out.append("\r\n").append("satisfaction,agent_id,agent_name,").append(SATISFACTION_COLUMNS).append("\r\n");
    out.append("total,,,").append(figuresCsv(satisfaction.total())).append("\r\n");
    for (SatisfactionReport.Agent a : satisfaction.agents()) {
      out.append("agent,").append(a.agentId() == null ? "" : a.agentId().toString()).append(',')
          .append(cell(a.agentName())).append(',').append(figuresCsv(a.figures())).append("\r\n");
    }
    return out.toString();
  }

  private static final String SATISFACTION_COLUMNS =
      "surveys_sent,surveys_answered,response_rate,average_rating,rating_1,rating_2,rating_3,rating_4,rating_5";

  private static String figuresCsv(SatisfactionReport.Figures f) {
    StringBuilder out = new StringBuilder().append(f.sent()).append(',').append(f.answered()).append(',')
        .append(f.responseRate() == null ? "" : f.responseRate().toString()).append(',')
        .append(f.averageRating() == null ? "" : f.averageRating().toString());
    for (int r = Surveys.MIN_RATING; r <= Surveys.MAX_RATING; r++) {
      out.append(',').append(f.count(r));
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
