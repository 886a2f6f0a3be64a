package dev.otklik.mail.outbound;

import dev.otklik.core.tenant.Language;
import dev.otklik.mail.MailAddress;
import dev.otklik.mail.TenantMail;
import dev.otklik.store.MailStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides what a claimed mail-outbox row becomes: one {@link OutboundMail} to whom, or nothing
 * (with the reason). Reads the request, the event and the people from the store at send time.
 */
public final class NotificationPlanner {

  /** A planned mail, or a skip with its reason; {@code attachRawOf} names an inbound message to attach. */
  public record Plan(OutboundMail mail, String skipReason, UUID attachRawOf, UUID noticeId, UUID noticeUser) {

    static Plan skip(String reason) {
      return new Plan(null, reason, null, null, null);
    }

    static Plan send(OutboundMail mail) {
      return new Plan(mail, null, null, null, null);
    }

    public boolean skipped() {
      return mail == null;
    }
  }

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm z");

  private final MailStore store;

  public NotificationPlanner(MailStore store) {
    this.store = store;
  }

  public Future<Plan> plan(TenantMail tenant, MailStore.Outgoing row) {
    String kind = row.kind();
    if (kind.startsWith("ticket.")) {
      return ticketMail(tenant, row, kind.substring("ticket.".length()));
    }
    return switch (kind) {
      case "mass-notice" -> massNotice(tenant, row);
      // rows written with their recipients, template and values (forwards, answers, platform notices)
      case "direct", Notifications.WEBHOOK_DISABLED, Notifications.SATISFACTION_SURVEY ->
          Future.succeededFuture(direct(tenant, row));
      default -> Future.succeededFuture(Plan.skip("no mail for " + kind));
    };
  }

  private Future<Plan> ticketMail(TenantMail tenant, MailStore.Outgoing row, String type) {
    if (row.ticketId() == null) {
      return Future.succeededFuture(Plan.skip("no request"));
    }
    return store.ticketContext(tenant.tenantId(), row.ticketId()).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Plan.skip("request not found"));
      }
      JsonObject t = found.get();
      String watcher = row.payload() == null ? null : row.payload().getString("recipientId");
      Future<Optional<JsonObject>> recipient = watcher == null
          ? Future.succeededFuture(Optional.of(requester(t)))
          : store.recipientContext(tenant.tenantId(), row.ticketId(), UUID.fromString(watcher))
              .map(r -> r.filter(w -> Boolean.TRUE.equals(w.getBoolean("watching"))));
      return recipient.compose(to -> {
        if (to.isEmpty()) {
          return Future.succeededFuture(Plan.skip("no longer watching"));
        }
        Future<Optional<JsonObject>> event = row.eventSequence() == null ? Future.succeededFuture(Optional.empty())
            : store.eventContext(tenant.tenantId(), row.eventSequence());
        return event.compose(e -> store.threadMessageIds(tenant.tenantId(), row.ticketId())
            .compose(thread -> decide(tenant, t, to.get(), e.orElse(new JsonObject()), type, thread)));
      });
    });
  }

  /** The requester, in the shape of a watcher's recipient context. */
  private static JsonObject requester(JsonObject t) {
    return new JsonObject().put("email", t.getValue("requester_email")).put("display_name", t.getValue("requester_name"))
        .put("locale", t.getValue("requester_locale")).put("enabled", t.getValue("requester_enabled"))
        .put("opted_out", t.getValue("requester_opted_out"));
  }

  /**
   * {@code recipient} is whom the customer-facing mail goes to: the requester, or a watcher (V021), with
   * the same rules for both.
   */
  private Future<Plan> decide(TenantMail tenant, JsonObject t, JsonObject recipient, JsonObject event, String type,
      List<String> thread) {
    String actorRole = str(event, "actor_role");
    boolean byCustomer = "customer".equals(actorRole);
    JsonObject after = event.getValue("after") instanceof JsonObject j ? j
        : event.getValue("after") instanceof String s ? new JsonObject(s) : new JsonObject();
    Map<String, String> values = baseValues(tenant, t);
    String template;
    switch (type) {
      case "created" -> {
        boolean callback = str(t, "callback_due_at") != null && "phone".equals(str(t, "channel"));
        template = callback ? Notifications.CALLBACK_PROMISED : Notifications.REQUEST_REGISTERED;
        if (callback) {
          values.put("callback-due", when(str(t, "callback_due_at"), tenant.zone()));
        }
      }
      case "comment-added" -> {
        if (byCustomer) {
          return Future.succeededFuture(Plan.skip("the customer's own comment"));
        }
        template = Notifications.COMMENT_ADDED;
        values.put("body", after.getString("body", ""));
        values.put("author", Optional.ofNullable(str(event, "actor_name")).orElse(tenant.sender().displayName()));
      }
      case "status-changed" -> {
        if (byCustomer) {
          return Future.succeededFuture(Plan.skip("the customer's own action"));
        }
        String status = after.getString("status", str(t, "status"));
        values.put("status", status);
        template = switch (status) {
          case "waiting-for-customer" -> Notifications.CLARIFICATION_REQUESTED;
          case "solution-proposed" -> Notifications.SOLUTION_PROPOSED;
          default -> Notifications.STATUS_CHANGED;
        };
        if (template.equals(Notifications.STATUS_CHANGED) && Boolean.TRUE.equals(recipient.getBoolean("opted_out"))) {
          return Future.succeededFuture(Plan.skip("opted out of non-contractual mail"));
        }
      }
      case "sla-warning", "sla-breached" -> {
        values.put("target", after.getString("target", after.getString("targetId", "SLA")));
        String tpl = type.equals("sla-warning") ? Notifications.SLA_WARNING : Notifications.SLA_BREACHED;
        if (str(t, "assignee_email") != null) {
          MailAddress to = new MailAddress(str(t, "assignee_email"), str(t, "assignee_name"));
          return Future.succeededFuture(Plan.send(mail(tenant, List.of(to), tpl,
              tenant.languageOf(str(t, "assignee_locale")), values, str(t, "number"), thread)));
        }
        return store.supervisors(tenant.tenantId())
            .map(people -> toStaff(tenant, people, tpl, values, str(t, "number"), thread));
      }
      case "escalated" -> {
        // an SLA escalation (after.target) or an unkept callback promise (after.timer)
        values.put("target", after.getString("target", after.getString("timer", "SLA")));
        values.put("priority", after.getString("priority", str(t, "priority")));
        return store.supervisors(tenant.tenantId()).map(people -> {
          List<JsonObject> to = new java.util.ArrayList<>(people);
          if (str(t, "assignee_email") != null) {
            to.add(new JsonObject().put("email", str(t, "assignee_email")).put("display_name", str(t, "assignee_name"))
                .put("locale", str(t, "assignee_locale")));
          }
          return toStaff(tenant, to, Notifications.ESCALATED, values, str(t, "number"), thread);
        });
      }
      default -> {
        return Future.succeededFuture(Plan.skip("no mail for " + type));
      }
    }
    if (!Boolean.TRUE.equals(recipient.getBoolean("enabled"))) {
      return Future.succeededFuture(Plan.skip("recipient disabled"));
    }
    MailAddress address = new MailAddress(str(recipient, "email"), str(recipient, "display_name"));
    return Future.succeededFuture(Plan.send(mail(tenant, List.of(address), template,
        tenant.languageOf(str(recipient, "locale")), values, str(t, "number"), thread)));
  }

  /** One mail to all these staff members: in their language if they share one, else the tenant's. */
  private Plan toStaff(TenantMail tenant, List<JsonObject> people, String template, Map<String, String> values,
      String number, List<String> thread) {
    if (people.isEmpty()) {
      return Plan.skip("no assignee and no coordinator");
    }
    List<MailAddress> to = people.stream()
        .map(p -> new MailAddress(p.getString("email"), p.getString("display_name"))).distinct().toList();
    List<Language> langs = people.stream().map(p -> tenant.languageOf(p.getString("locale"))).distinct().toList();
    Language lang = langs.size() == 1 ? langs.get(0) : tenant.language();
    return Plan.send(mail(tenant, to, template, lang, values, number, thread));
  }

  private Future<Plan> massNotice(TenantMail tenant, MailStore.Outgoing row) {
    UUID noticeId = UUID.fromString(row.payload().getString("noticeId"));
    UUID userId = UUID.fromString(row.payload().getString("userId"));
    return store.noticeContext(tenant.tenantId(), noticeId, userId).map(found -> {
      if (found.isEmpty()) {
        return Plan.skip("notice or recipient not found");
      }
      JsonObject n = found.get();
      if (!Boolean.TRUE.equals(n.getBoolean("enabled"))) {
        return new Plan(null, "recipient disabled", null, noticeId, userId);
      }
      if ("news".equals(n.getString("kind")) && Boolean.TRUE.equals(n.getBoolean("opted_out"))) {
        return new Plan(null, "opted out of non-contractual mail", null, noticeId, userId);
      }
      Language lang = tenant.languageOf(n.getString("locale"));
      boolean en = lang == Language.EN && n.getString("title_en") != null;
      Map<String, String> values = new HashMap<>();
      values.put("tenant-name", tenant.name().in(lang));
      values.put("title", en ? n.getString("title_en") : n.getString("title_ru"));
      values.put("body", en ? n.getString("body_en") : n.getString("body_ru"));
      OutboundMail mail = new OutboundMail(tenant.sender(), List.of(new MailAddress(n.getString("email"),
          n.getString("display_name"))), List.of(), Notifications.template(tenant, Notifications.MASS_NOTICE), lang,
          values, null, null, List.of(), true);
      return new Plan(mail, null, null, noticeId, userId);
    });
  }

  /**
   * A mail written with its recipients: {@code {template, to:[...], values:{...}, inReplyTo, attachInbound}},
   * optionally {@code locale} (the recipient's language; default the tenant's) and {@code number}
   * (the request it is about).
   */
  private static Plan direct(TenantMail tenant, MailStore.Outgoing row) {
    JsonObject p = row.payload();
    List<MailAddress> to = new ArrayList<>();
    p.getJsonArray("to", new JsonArray()).forEach(a -> to.add(MailAddress.of((String) a)));
    if (to.isEmpty()) {
      return Plan.skip("no recipient");
    }
    Map<String, String> values = new HashMap<>();
    p.getJsonObject("values", new JsonObject()).forEach(e -> values.put(e.getKey(), String.valueOf(e.getValue())));
    Language lang = tenant.languageOf(p.getString("locale"));
    values.putIfAbsent("tenant-name", tenant.name().in(lang));
    OutboundMail mail = new OutboundMail(tenant.sender(), to, List.of(),
        Notifications.template(tenant, p.getString("template")), lang, values, p.getString("number"),
        p.getString("inReplyTo"), p.getString("inReplyTo") == null ? List.of() : List.of(p.getString("inReplyTo")),
        true);
    String attach = p.getString("attachInbound");
    return new Plan(mail, null, attach == null ? null : UUID.fromString(attach), null, null);
  }

  private static OutboundMail mail(TenantMail tenant, List<MailAddress> to, String template, Language lang,
      Map<String, String> values, String number, List<String> thread) {
    Map<String, String> v = new HashMap<>(values);
    v.put("tenant-name", tenant.name().in(lang));
    String inReplyTo = thread.isEmpty() ? null : thread.get(thread.size() - 1);
    return new OutboundMail(tenant.sender(), to, List.of(), Notifications.template(tenant, template), lang, v, number,
        inReplyTo, thread, true);
  }

  private static Map<String, String> baseValues(TenantMail tenant, JsonObject t) {
    Map<String, String> values = new HashMap<>();
    values.put("number", str(t, "number"));
    values.put("subject", Optional.ofNullable(str(t, "subject")).orElse(""));
    values.put("status", Optional.ofNullable(str(t, "status")).orElse(""));
    values.put("created-at", when(str(t, "created_at"), tenant.zone()));
    return values;
  }

  static String when(String timestamp, ZoneId zone) {
    if (timestamp == null) {
      return "";
    }
    return OffsetDateTime.parse(timestamp).atZoneSameInstant(zone).format(WHEN);
  }

  private static String str(JsonObject json, String key) {
    Object v = json.getValue(key);
    return v == null ? null : v.toString();
  }
}
