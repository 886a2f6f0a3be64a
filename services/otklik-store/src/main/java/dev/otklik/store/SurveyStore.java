package dev.otklik.store;

import dev.otklik.core.OtklikException;
import dev.otklik.core.satisfaction.SurveyTokens;
import dev.otklik.core.satisfaction.Surveys;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.WorkflowStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Customer-satisfaction surveys (V020).
 *
 * <p><b>Sending.</b> {@link #afterStatusChange} runs inside the transaction of a status change
 * ({@link TicketStore} calls it from a person's transition and from a workflow timer): when the
 * change closes the request ({@link Surveys#closes}) and the tenant runs a survey, it withdraws an
 * earlier open survey of the request, writes the new one, and queues its mail (template
 * {@code satisfaction-survey}, mail-outbox kind of the same name) with the signed link. A committed
 * closing always has its survey and mail; a rolled-back one has neither. No survey when the
 * requester's account is disabled; no mail (the survey still waits in the portal) when they opted
 * out of non-contractual mail.
 *
 * <p><b>Answering.</b> {@link #answer} is one conditional UPDATE (open, unexpired) plus, when it
 * changed the row, an internal {@code satisfaction-rated} event (outbox kind
 * {@code ticket.satisfaction-rated}) in the same transaction; a second answer changes nothing and
 * says why ({@link Outcome}).
 */
public final class SurveyStore {

  /** What a tenant's survey needs: how long its links work, and the zone their expiry is shown in. */
  public record Settings(Duration linkValidity, ZoneId zone) {

    public Settings {
      Objects.requireNonNull(linkValidity, "linkValidity");
      Objects.requireNonNull(zone, "zone");
    }
  }

  /** A survey as stored, with its request's number and subject. */
  public record Survey(UUID id, UUID ticketId, String number, String subject, UUID recipientId, UUID assigneeId,
      String closedStatus, OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime withdrawnAt,
      OffsetDateTime answeredAt, Integer rating, String comment, String answeredVia) {

    /** {@code answered}, {@code withdrawn}, {@code expired} (at {@code now}) or {@code open}. */
    public String state(OffsetDateTime now) {
      if (answeredAt != null) {
        return "answered";
      }
      if (withdrawnAt != null) {
        return "withdrawn";
      }
      return expiresAt.isAfter(now) ? "open" : "expired";
    }
  }

  /** The result of an answer: the survey as it is now, and the event when this call answered it. */
  public record Outcome(Survey survey, TicketStore.Change<Survey> change) {

    public boolean answered() {
      return change != null;
    }
  }

  private static final String MAIL_KIND = "satisfaction-survey";
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm z");

  private final TenantTransactions tx;
  private final Clock clock;
  private final Function<String, Optional<Settings>> settings;
  private final SurveyTokens tokens;
  private final String linkBase;
  private final NamedSql sql = NamedSql.load("satisfaction");
  private final NamedSql tickets = NamedSql.load("ticket");
  private final MailStore mail;

  /**
   * @param settings the tenant's survey settings; empty: the tenant runs no survey
   * @param tokens   signs the links
   * @param linkBase where people reach this desk, without a trailing slash ({@code https://desk.example})
   */
  public SurveyStore(TenantTransactions tx, Clock clock, Function<String, Optional<Settings>> settings,
      SurveyTokens tokens, String linkBase) {
    this.tx = tx;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.linkBase = Objects.requireNonNull(linkBase, "linkBase");
    this.mail = new MailStore(tx, clock);
    for (String name : List.of("recipient", "withdraw-open", "insert-survey", "find-survey", "surveys-of-ticket",
        "answer-survey")) {
      sql.get(name);
    }
    tickets.get("append-event");
  }

  public SurveyTokens tokens() {
    return tokens;
  }

  /** The portal page a survey's link opens. */
  public String link(String tenantId, String token) {
    return linkBase + "/t/" + tenantId + "/#/survey/" + token;
  }

  /**
   * In the transaction of a status change from {@code from} to {@code updated.status()}: the survey
   * and its mail when this closes the request and the tenant runs one; nothing otherwise.
   */
  public Future<Void> afterStatusChange(SqlConnection conn, WorkflowStatus from, Ticket updated, OffsetDateTime now) {
    if (!Surveys.closes(from, updated.status())) {
      return Future.succeededFuture();
    }
    Optional<Settings> tenant = settings.apply(updated.tenantId());
    if (tenant.isEmpty()) {
      return Future.succeededFuture();
    }
    String tenantId = updated.tenantId();
    return sql.run(conn, "recipient", Params.of("tenant_id", tenantId, "user_id", updated.requesterId()))
        .compose(found -> {
          Row person = found.size() == 0 ? null : found.iterator().next();
          if (person == null || !Boolean.TRUE.equals(person.getBoolean("enabled"))) {
            return Future.<Void>succeededFuture();
          }
          UUID id = UUID.randomUUID();
          // whole seconds: the link carries epoch seconds, and link and row must agree
          OffsetDateTime created = now.truncatedTo(ChronoUnit.SECONDS);
          OffsetDateTime expires = created.plus(tenant.get().linkValidity());
          Future<?> written = sql.run(conn, "withdraw-open", Params.of("tenant_id", tenantId,
                  "ticket_id", updated.id(), "now", now))
              .compose(ok -> sql.run(conn, "insert-survey", Params.of("tenant_id", tenantId, "id", id,
                  "ticket_id", updated.id(), "recipient_id", updated.requesterId(),
                  "assignee_id", updated.assigneeId(), "closed_status", ConfigId.of(updated.status()),
                  "now", created, "expires_at", expires)));
          if (Boolean.TRUE.equals(person.getBoolean("opted_out")) || person.getString("email") == null) {
            return written.mapEmpty();
          }
          String token = tokens.issue(new SurveyTokens.Claims(tenantId, id, expires.toInstant()));
          JsonObject payload = new JsonObject()
              .put("to", new JsonArray().add(person.getString("email")))
              .put("template", MAIL_KIND)
              .put("number", updated.number())
              .put("locale", person.getString("locale"))
              .put("values", new JsonObject()
                  .put("name", person.getString("display_name"))
                  .put("number", updated.number())
                  .put("subject", updated.subject() == null ? "" : updated.subject())
                  .put("link", link(tenantId, token))
                  .put("valid-until", expires.atZoneSameInstant(tenant.get().zone()).format(WHEN)));
          return written.compose(ok -> mail.insertDirect(conn, tenantId, MAIL_KIND, updated.id(), payload))
              .mapEmpty();
        });
  }

  /** One survey of the tenant (row-level security keeps other tenants' surveys out of reach). */
  public Future<Optional<Survey>> find(String tenantId, UUID surveyId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "find-survey", Params.of("tenant_id", tenantId, "id", surveyId))
        .map(rows -> rows.size() == 0 ? Optional.<Survey>empty() : Optional.of(survey(rows.iterator().next()))));
  }

  /** The surveys of a request, newest first. */
  public Future<List<Survey>> ofTicket(String tenantId, UUID ticketId) {
    return tx.inTenant(tenantId, conn -> sql.run(conn, "surveys-of-ticket", Params.of("tenant_id", tenantId,
            "ticket_id", ticketId))
        .map(rows -> {
          List<Survey> out = new ArrayList<>();
          rows.forEach(r -> out.add(survey(r)));
          return out;
        }));
  }

  /**
   * Answers the survey: the rating ({@value Surveys#MIN_RATING}-{@value Surveys#MAX_RATING}) and an
   * optional comment, {@code via} {@code link} or {@code portal}. Fails with 404
   * {@code survey.not-found} for an unknown survey; otherwise the outcome says whether this call
   * answered it (then with the {@code satisfaction-rated} event) or found it already answered,
   * withdrawn or expired (then nothing changed).
   */
  public Future<Outcome> answer(String tenantId, UUID surveyId, int rating, String comment, String via) {
    if (rating < Surveys.MIN_RATING || rating > Surveys.MAX_RATING) {
      throw new IllegalArgumentException("rating out of range: " + rating);
    }
    if (comment != null && comment.length() > Surveys.MAX_COMMENT_CHARS) {
      throw new IllegalArgumentException("comment too long");
    }
    OffsetDateTime now = now();
    return tx.inTenant(tenantId, conn -> sql.run(conn, "answer-survey", Params.of("tenant_id", tenantId,
            "id", surveyId, "rating", (short) rating, "comment", comment, "via", via, "now", now))
        .compose(changed -> sql.run(conn, "find-survey", Params.of("tenant_id", tenantId, "id", surveyId))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(OtklikException.notFound("survey.not-found"));
              }
              Survey s = survey(rows.iterator().next());
              if (changed.rowCount() == 0) {
                return Future.succeededFuture(new Outcome(s, null));
              }
              JsonObject after = new JsonObject().put("surveyId", s.id().toString()).put("rating", s.rating())
                  .put("comment", s.comment()).put("via", s.answeredVia());
              return appendEvent(conn, tenantId, s, now, after)
                  .map(seq -> new Outcome(s, new TicketStore.Change<>(s, seq, "satisfaction-rated", false)));
            })));
  }

  /**
   * The internal {@code satisfaction-rated} event by the recipient, through TicketStore's own
   * statement (event row, per-tenant sequence, outbox row with the usual payload).
   */
  private Future<Long> appendEvent(SqlConnection conn, String tenantId, Survey s, OffsetDateTime now,
      JsonObject after) {
    String type = "satisfaction-rated";
    return tickets.run(conn, "append-event", Params.of("tenant_id", tenantId, "ticket_id", s.ticketId(),
            "type", type, "actor_id", s.recipientId(), "public", false, "before", null, "after", after, "now", now,
            "outbox_id", UUID.randomUUID(), "payload", new JsonObject().put("tenantId", tenantId)
                .put("ticketId", s.ticketId().toString()).put("number", s.number()).put("type", type)
                .put("public", false)))
        .map(rows -> rows.iterator().next().getLong("event_sequence"));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static Survey survey(Row r) {
    Short rating = r.getShort("rating");
    return new Survey(r.getUUID("id"), r.getUUID("ticket_id"), r.getString("number"), r.getString("subject"),
        r.getUUID("recipient_id"), r.getUUID("assignee_id"), r.getString("closed_status"),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("expires_at"), r.getOffsetDateTime("withdrawn_at"),
        r.getOffsetDateTime("answered_at"), rating == null ? null : rating.intValue(), r.getString("comment"),
        r.getString("answered_via"));
  }
}
