package dev.otklik.store;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.core.sla.SlaClock;
import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.sla.SlaEvent;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.Escalation;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.tenant.WorkflowTimer;
import dev.otklik.core.ticket.TicketAction;
import dev.otklik.core.ticket.TicketWorkflow;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Requests and everything hanging off them. Each change is one transaction that also appends a
 * {@code ticket_event} row, numbered from the tenant's event counter (taken last, so the row
 * lock on it is held only for the end of the transaction), and an {@code outbox} row. A creation
 * checks first, then sends the numbered insert, the clocks and timers, the event and the COMMIT
 * in one go, so the request is written once, with its number.
 *
 * <p>Every read by number is filtered by tenant and by the caller's scope
 * ({@link Caller#scopeOrganisations()}, {@link Caller#scopeUser()}): a customer reaches only the
 * requests of their organisations and the ones they watch, and a request they may not see is
 * simply not found (404 {@code ticket.not-found}), never a hint that it exists.
 */
public final class TicketStore {

  /** Fields a list can be sorted by; a leading {@code -} means descending. */
  public static final Set<String> SORTS = Set.of("created", "updated", "priority", "planned");
  /** Up to this many matching requests a list counts exactly. */
  public static final int EXACT_TOTAL_UP_TO = 10_000;

  private final TenantTransactions tx;
  /** {@link #tx} on generic plans: for the works that find their rows by key (see {@link TenantTransactions#onGenericPlans}). */
  private final TenantTransactions keyed;
  private final Clock clock;
  private final NamedSql sql;
  private final DeadlineRows deadlines = new DeadlineRows();
  /** Satisfaction surveys sent when a status change closes a request; null: none. */
  private final SurveyStore surveys;

  public TicketStore(TenantTransactions tx, Clock clock) {
    this(tx, clock, null);
  }

  /** With {@code surveys} (null: none): a closing writes its survey in the transaction of the change. */
  public TicketStore(TenantTransactions tx, Clock clock, SurveyStore surveys) {
    this.tx = tx;
    this.keyed = tx == null ? null : tx.onGenericPlans(); // null: a router built only to list its routes
    this.clock = clock;
    this.surveys = surveys;
    this.sql = NamedSql.load("ticket");
    for (String name : List.of("number-and-insert", "announce-created", "append-event", "find-user", "find-ticket",
        "lock-ticket", "update-triage-fields", "update-status", "touch-ticket",
        "list-events", "insert-comment", "list-comments", "attachment-bytes", "insert-attachment",
        "list-attachments", "find-attachment", "insert-worklog", "list-worklog", "list-tickets", "update-form")) {
      sql.get(name); // a missing statement fails now, not on the first request
    }
  }

  /**
   * Who acts. Customers are confined to the requests of their organisations ({@code organisationIds},
   * the primary {@code organisationId} among them) and the requests they watch; staff see the
   * whole tenant.
   */
  public record Caller(UUID userId, Role role, UUID organisationId, Set<UUID> organisationIds) {

    public Caller {
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(role, "role");
      Set<UUID> all = new java.util.LinkedHashSet<>();
      if (organisationId != null) {
        all.add(organisationId);
      }
      if (organisationIds != null) {
        organisationIds.stream().filter(Objects::nonNull).forEach(all::add);
      }
      organisationIds = java.util.Collections.unmodifiableSet(all);
    }

    /** A caller whose only organisation is {@code organisationId}. */
    public Caller(UUID userId, Role role, UUID organisationId) {
      this(userId, role, organisationId, null);
    }

    /** The primary organisation of a customer (null for staff); reads use {@link #scopeOrganisations()}. */
    public UUID scope() {
      return role == Role.CUSTOMER ? Objects.requireNonNull(organisationId, "customer without organisation") : null;
    }

    /**
     * The organisation filter for reads and writes: null for staff (everything), a customer's
     * organisations otherwise. A customer without any is refused rather than widened.
     */
    public UUID[] scopeOrganisations() {
      if (role != Role.CUSTOMER) {
        return null;
      }
      if (organisationIds.isEmpty()) {
        throw new IllegalStateException("customer without organisation");
      }
      return organisationIds.toArray(UUID[]::new);
    }

    /** Whose watched requests a customer also sees: null for staff. */
    public UUID scopeUser() {
      return role == Role.CUSTOMER ? userId : null;
    }

    /** True when the caller sees everything of {@code organisationId} (staff, or a member). */
    public boolean covers(UUID organisationId) {
      return role != Role.CUSTOMER || organisationIds.contains(organisationId);
    }
  }

  /**
   * A request to register, already checked against the tenant's taxonomy, catalogue and form.
   *
   * @param numberPrefix the tenant's request-number-prefix
   * @param zone         the tenant's time zone: the year of the number is the creation year there
   */
  public record NewTicket(
      String numberPrefix, ZoneId zone, String channel, String kind, String category, String priority,
      String severity, String service, String subject, String description, JsonObject form,
      UUID organisationId, UUID requesterId, UUID assigneeId, LocalDate plannedDate,
      OffsetDateTime callbackDueAt) {}

  /** Triage fields as they should be after a PATCH (the handler merges the changes). */
  public record TriageFields(String category, String priority, String severity, UUID assigneeId,
      LocalDate plannedDate) {

    static TriageFields of(Ticket t) {
      return new TriageFields(t.category(), t.priority(), t.severity(), t.assigneeId(), t.plannedDate());
    }
  }

  /**
   * Filters of a list; null means "any". {@code createdTo} is exclusive; {@code watcherId} keeps
   * the requests that person watches.
   */
  public record TicketFilter(List<String> statuses, List<String> priorities, UUID assigneeId,
      UUID organisationId, String service, OffsetDateTime createdFrom, OffsetDateTime createdTo,
      List<String> priorityOrder, UUID watcherId) {

    public TicketFilter(List<String> statuses, List<String> priorities, UUID assigneeId, UUID organisationId,
        String service, OffsetDateTime createdFrom, OffsetDateTime createdTo, List<String> priorityOrder) {
      this(statuses, priorities, assigneeId, organisationId, service, createdFrom, createdTo, priorityOrder, null);
    }
  }

  public record TicketEvent(long sequence, UUID ticketId, String type, UUID actorId, boolean isPublic,
      JsonObject before, JsonObject after, OffsetDateTime createdAt) {}

  public record Comment(UUID id, UUID authorId, String body, boolean internal, OffsetDateTime createdAt) {}

  public record Attachment(UUID id, String fileName, String contentType, int sizeBytes, UUID uploadedBy,
      OffsetDateTime createdAt) {}

  public record AttachmentContent(Attachment attachment, Buffer content) {}

  public record WorkLogEntry(UUID id, UUID authorId, int minutes, String description, OffsetDateTime createdAt) {}

  /**
   * A change that committed, with the event it appended (for the post-commit signal). {@code event}
   * is that row as {@link EventSignal} carries it, so stream gateways need not read it back; null
   * where the change did not build it (gateways then read the range from {@code ticket_event}).
   */
  public record Change<T>(T value, long sequence, String eventType, boolean isPublic, JsonObject event) {

    public Change(T value, long sequence, String eventType, boolean isPublic) {
      this(value, sequence, eventType, isPublic, null);
    }
  }

  /** The event a statement appended: its sequence and its row for the signal ({@link EventSignal}). */
  record Appended(long sequence, JsonObject event) {

    <T> Change<T> change(T value) {
      return new Change<>(value, sequence, event.getString(EventSignal.TYPE), event.getBoolean(EventSignal.PUBLIC),
          event);
    }
  }

  /**
   * Registers a request: checks the requester (a customer who is a member of the given organisation) and the
   * assignee (tenant staff), takes the next number, inserts, appends a {@code created} event.
   */
  public Future<Change<Ticket>> create(String tenantId, Caller caller, NewTicket t) {
    return create(tenantId, caller, t, null);
  }

  /**
   * As {@link #create(String, Caller, NewTicket)}, and in the same transaction gives the request
   * its SLA targets ({@code sla} null: none) and starts the clocks that start on registration.
   */
  public Future<Change<Ticket>> create(String tenantId, Caller caller, NewTicket t, SlaClocks sla) {
    OffsetDateTime now = now();
    int year = now.atZoneSameInstant(t.zone()).getYear();
    UUID id = UUID.randomUUID();
    return keyed.inTenant(tenantId, (conn, commit) -> {
      // First round trip: the checks and the tenant's config version, side by side.
      Future<Void> requester = requireRequester(conn, tenantId, caller, t.requesterId(), t.organisationId());
      Future<Void> assignee = t.assigneeId() == null ? Future.succeededFuture()
          : requireStaff(conn, tenantId, t.assigneeId());
      Future<Integer> version = run(conn, deadlines.sql(), "current-config-version", Params.of("tenant_id", tenantId))
          .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("current_version"));
      return Future.join(requester, assignee, version).compose(checked -> {
        // Second: everything else at once, the COMMIT behind. The request is inserted with its
        // number (taking the number counter's lock), then its clocks, timers, and last the event
        // with its outbox row (taking the event counter's lock); PostgreSQL runs them back to back,
        // so both locks are held while it does, not across replies to this node.
        Ticket planned = new Ticket(id, tenantId, null, t.channel(), WorkflowStatus.NEW, t.kind(), t.category(),
            t.priority(), t.severity(), t.service(), t.subject(), t.description(), t.form(), t.organisationId(),
            t.requesterId(), caller.userId(), t.assigneeId(), t.plannedDate(), t.callbackDueAt(), version.result(),
            now, now, null, 1);
        Future<Ticket> inserted = run(conn, "number-and-insert", Params.of(
            "id", id, "tenant_id", tenantId, "prefix", t.numberPrefix(), "year", year, "channel", t.channel(),
            "kind", t.kind(), "category", t.category(), "priority", t.priority(), "severity", t.severity(),
            "service", t.service(), "subject", t.subject(), "description", t.description(), "form", t.form(),
            "organisation_id", t.organisationId(), "requester_id", t.requesterId(), "created_by", caller.userId(),
            "assignee_id", t.assigneeId(), "planned_date", t.plannedDate(), "callback_due_at", t.callbackDueAt(),
            "config_version", version.result(), "now", now))
            .map(rows -> ticket(rows.iterator().next()));
        Future<Void> clocks = startClocks(conn, planned, sla, t.callbackDueAt() != null, now);
        Future<Void> callback = armCallbackTimer(conn, planned);
        Future<Long> announced = run(conn, "announce-created", Params.of("tenant_id", tenantId, "id", id,
                "actor_id", caller.userId(), "after", summary(planned), "now", now, "outbox_id", UUID.randomUUID(),
                "payload", new JsonObject().put("tenantId", tenantId).put("ticketId", id.toString())
                    .put("type", "created").put("public", true)))
            .map(rows -> rows.iterator().next().getLong("event_sequence"));
        return commit.behind(Future.join(inserted, clocks, callback, announced)).map(all -> {
          Ticket created = inserted.result();
          long sequence = announced.result();
          return new Appended(sequence, EventSignal.row(sequence, created, caller.userId(), "created", true, null,
              summary(created), now, List.of())).change(created);
        });
      });
    });
  }

  public Future<Optional<Ticket>> find(String tenantId, Caller caller, String number) {
    return keyed.inTenant(tenantId, conn -> run(conn, "find-ticket", byNumber(tenantId, caller, number))
        .map(rows -> rows.size() == 0 ? Optional.<Ticket>empty() : Optional.of(ticket(rows.iterator().next()))));
  }

  /** A request, its SLA deadlines and its watchers, read in one transaction. */
  public record TicketWithDeadlines(Ticket ticket, List<TicketDeadline> deadlines, List<WatcherStore.Watcher> watchers) {

    public TicketWithDeadlines(Ticket ticket, List<TicketDeadline> deadlines) {
      this(ticket, deadlines, List.of());
    }
  }

  public Future<Optional<TicketWithDeadlines>> findWithDeadlines(String tenantId, Caller caller, String number) {
    // the three reads and the COMMIT go out at once: one round trip; the deadlines and watchers of
    // a request the caller may not see are read and dropped
    return keyed.inTenant(tenantId, (conn, commit) -> {
      Future<RowSet<Row>> found = run(conn, "find-ticket", byNumber(tenantId, caller, number));
      Future<List<TicketDeadline>> d = deadlines.loadByNumber(conn, tenantId, number);
      Future<List<WatcherStore.Watcher>> w = WatcherStore.loadByNumber(conn, tenantId, number);
      return commit.behind(Future.join(found, d, w)).map(all -> found.result().size() == 0
          ? Optional.<TicketWithDeadlines>empty()
          : Optional.of(new TicketWithDeadlines(ticket(found.result().iterator().next()), d.result(), w.result())));
    });
  }

  /** The values of find-ticket and lock-ticket: the number and the caller's scope. */
  static Map<String, Object> byNumber(String tenantId, Caller caller, String number) {
    return Params.of("tenant_id", tenantId, "number", number, "scope_organisations", caller.scopeOrganisations(),
        "scope_user", caller.scopeUser());
  }

  /**
   * A page of requests, each with its SLA deadlines, newest first unless {@code page} sorts
   * otherwise. The total is exact up to {@link #EXACT_TOTAL_UP_TO}; above it the page's total is
   * {@code EXACT_TOTAL_UP_TO + 1}, meaning "more than that" (counting a million requests per page
   * view is not worth its time).
   */
  public Future<Page<TicketWithDeadlines>> list(String tenantId, Caller caller, TicketFilter f, ListQuery page) {
    // the page, then its requests' deadlines in one statement: what a queue shows, without a read per row
    return tx.inTenant(tenantId, (conn, commit) -> selectPage(conn, tenantId, caller, f, page).compose(tickets ->
        commit.behind(deadlines.loadOf(conn, tenantId, tickets.items().stream().map(Ticket::id).toList()))
            .map(byTicket -> new Page<>(tickets.items().stream().map(t -> new TicketWithDeadlines(t,
                byTicket.getOrDefault(t.id(), List.of()))).toList(), tickets.total()))));
  }

  private Future<Page<Ticket>> selectPage(SqlConnection conn, String tenantId, Caller caller, TicketFilter f,
      ListQuery page) {
    String sort = page.sortAmong(SORTS, "-created");
    boolean descending = sort.startsWith("-");
    String column = switch (descending ? sort.substring(1) : sort) {
      case "updated" -> "updated_at";
      case "priority" -> "priority_rank";
      case "planned" -> "planned_date";
      default -> "created_at";
    };
    NamedSql.Statement s = sql.get("list-tickets");
    // Only the nullable planned date needs NULLS LAST; the others keep the default so the sort
    // matches the indexes' order.
    String statement = s.sql().replace("/*order*/", column + (descending ? " DESC" : " ASC")
        + (column.equals("planned_date") ? " NULLS LAST" : ""));
    Tuple values = s.tuple(Params.of(
        "tenant_id", tenantId, "scope_organisations", caller.scopeOrganisations(), "scope_user", caller.scopeUser(),
        "watcher_id", f.watcherId(),
        "statuses", array(f.statuses()), "priorities", array(f.priorities()), "assignee_id", f.assigneeId(),
        "organisation_id", f.organisationId(), "service", f.service(), "created_from", f.createdFrom(),
        "created_to", f.createdTo(), "priority_order", f.priorityOrder().toArray(String[]::new),
        "count_limit", EXACT_TOTAL_UP_TO + 1, "offset", page.offset(), "limit", page.limit()));
    return conn.preparedQuery(statement).execute(values).map(rows -> Page.of(rows, TicketStore::ticket));
  }

  /**
   * Sets the triage fields if the request is still at {@code expectedVersion}: 412
   * {@code ticket.version-mismatch} otherwise. A new assignee must be tenant staff.
   */
  public Future<Change<Ticket>> updateTriage(String tenantId, Caller caller, String number, int expectedVersion,
      Function<TriageFields, TriageFields> change) {
    return updateTriage(tenantId, caller, number, expectedVersion, change, null);
  }

  /**
   * As {@link #updateTriage(String, Caller, String, int, Function)}; when category, priority or
   * severity changed, the request is re-targeted to its new SLA cell ({@link SlaClocks#retarget})
   * in the same transaction, and the event's before/after carry the deadlines ({@code deadlines}).
   */
  public Future<Change<Ticket>> updateTriage(String tenantId, Caller caller, String number, int expectedVersion,
      Function<TriageFields, TriageFields> change, SlaClocks sla) {
    OffsetDateTime now = now();
    return keyed.inTenant(tenantId, conn -> lock(conn, tenantId, caller, number).compose(current -> {
      if (current.version() != expectedVersion) {
        return Future.failedFuture(new OtklikException(412, "ticket.version-mismatch", expectedVersion, current.version()));
      }
      TriageFields before = TriageFields.of(current);
      TriageFields after = change.apply(before);
      Future<?> assigneeOk = after.assigneeId() == null || after.assigneeId().equals(before.assigneeId())
          ? Future.succeededFuture() : requireStaff(conn, tenantId, after.assigneeId());
      return assigneeOk
          .compose(ok -> run(conn, "update-triage-fields", Params.of(
              "tenant_id", tenantId, "id", current.id(), "category", after.category(), "priority", after.priority(),
              "severity", after.severity(), "assignee_id", after.assigneeId(), "planned_date", after.plannedDate(),
              "now", now)))
          .map(rows -> ticket(rows.iterator().next()))
          .compose(updated -> {
            JsonObject beforeJson = triage(before);
            JsonObject afterJson = triage(after);
            boolean attributesChanged = !Objects.equals(before.category(), after.category())
                || !Objects.equals(before.priority(), after.priority())
                || !Objects.equals(before.severity(), after.severity());
            Future<Void> retargeted = sla == null || !attributesChanged ? Future.succeededFuture()
                : retarget(conn, updated, sla, beforeJson, afterJson, now);
            return retargeted.compose(ok -> announce(conn, updated, caller.userId(), "updated", true, beforeJson,
                    afterJson, now))
                .map(a -> a.change(updated));
          });
    }));
  }

  /**
   * Moves the request to the status {@code decide} returns for its current state (locked, so two
   * transitions never both start from the same status). {@code decide} throws to refuse.
   */
  public Future<Change<Ticket>> transition(String tenantId, Caller caller, String number, String action,
      Function<Ticket, WorkflowStatus> decide) {
    return transition(tenantId, caller, number, action, decide, null);
  }

  /**
   * As {@link #transition(String, Caller, String, String, Function)}, and in the same transaction
   * starts, stops, pauses and resumes the request's SLA clocks ({@link SlaEvent#transition}).
   */
  public Future<Change<Ticket>> transition(String tenantId, Caller caller, String number, String action,
      Function<Ticket, WorkflowStatus> decide, SlaClocks sla) {
    OffsetDateTime now = now();
    return keyed.inTenant(tenantId, conn -> lock(conn, tenantId, caller, number).compose(current -> {
      WorkflowStatus to = decide.apply(current);
      OffsetDateTime finishedAt = TicketWorkflow.FINISHED.contains(to) ? now : null;
      return run(conn, "update-status", Params.of(
              "tenant_id", tenantId, "id", current.id(), "status", ConfigId.of(to), "finished_at", finishedAt, "now", now))
          .map(rows -> ticket(rows.iterator().next()))
          .compose(updated -> survey(conn, current.status(), updated, now))
          .compose(updated -> sla == null ? Future.succeededFuture(updated)
              : applyClocks(conn, updated, sla, SlaEvent.transition(ConfigId.parse(TicketAction.class, action),
                  current.status(), to, TicketWorkflow.isStaff(caller.role())), now).map(updated))
          .compose(updated -> announce(conn, updated, caller.userId(), "status-changed", true,
                  new JsonObject().put("status", ConfigId.of(current.status())),
                  new JsonObject().put("status", ConfigId.of(to)).put("action", action), now)
              .map(a -> a.change(updated)));
    }));
  }

  /**
   * Stores the request form's answers ({@code form}, already checked against the tenant's form)
   * and, in the same transaction, emits {@code form-received}: the clocks stopping on it stop and
   * workflow timers cancelled by it are disarmed. Appends a public {@code form-received} event.
   */
  public Future<Change<Ticket>> submitForm(String tenantId, Caller caller, String number, JsonObject form,
      SlaClocks sla) {
    OffsetDateTime now = now();
    return keyed.inTenant(tenantId, conn -> lock(conn, tenantId, caller, number).compose(current -> {
      if (TicketWorkflow.FINISHED.contains(current.status())) {
        return Future.failedFuture(new OtklikException(409, "ticket.form-closed", current.number()));
      }
      return run(conn, "update-form", Params.of("tenant_id", tenantId, "id", current.id(), "form", form, "now", now))
          .map(rows -> ticket(rows.iterator().next()))
          .compose(updated -> (sla == null ? Future.<Void>succeededFuture()
                  : applyClocks(conn, updated, sla, SlaEvent.formReceived(), now))
              .compose(ok -> announce(conn, updated, caller.userId(), "form-received", true, null,
                  new JsonObject().put("form", form), now))
              .map(a -> a.change(updated)));
    }));
  }

  /** The durable alarm of a callback promise: unless the callback is recorded first, it escalates at the promised time. */
  private Future<Void> armCallbackTimer(SqlConnection conn, Ticket t) {
    if (t.callbackDueAt() == null) {
      return Future.succeededFuture();
    }
    return run(conn, deadlines.sql(), "insert-workflow-timer", Params.of("tenant_id", t.tenantId(),
        "id", UUID.randomUUID(), "ticket_id", t.id(), "target_id", CALLBACK_TIMER, "due_at", t.callbackDueAt(),
        "action", "escalate")).mapEmpty();
  }

  /**
   * Records that staff called the customer back as promised ({@code callbackDueAt}): disarms the
   * promise's alarm, stops clocks that stop on {@code callback-made}, and appends a public
   * {@code callback-made} event saying whether it was on time. 409 {@code ticket.no-callback}
   * without a promise, {@code ticket.callback-recorded} when it was already recorded.
   */
  public Future<Change<Ticket>> recordCallback(String tenantId, Caller caller, String number, String note,
      SlaClocks sla) {
    OffsetDateTime now = now();
    return keyed.inTenant(tenantId, conn -> lock(conn, tenantId, caller, number).compose(current -> {
      if (current.callbackDueAt() == null) {
        return Future.failedFuture(new OtklikException(409, "ticket.no-callback", current.number()));
      }
      return run(conn, "count-events-of-type", Params.of("tenant_id", tenantId, "ticket_id", current.id(),
              "type", "callback-made"))
          .compose(rows -> {
            if (rows.iterator().next().getLong("n") > 0) {
              return Future.failedFuture(new OtklikException(409, "ticket.callback-recorded", current.number()));
            }
            JsonObject after = new JsonObject().put("promisedFor", current.callbackDueAt().toInstant().toString())
                .put("onTime", !now.isAfter(current.callbackDueAt())).put("note", note);
            return run(conn, deadlines.sql(), "cancel-workflow-timer", Params.of("tenant_id", tenantId,
                    "ticket_id", current.id(), "target_id", CALLBACK_TIMER))
                .compose(ok -> sla == null ? Future.<Void>succeededFuture()
                    : applyClocks(conn, current, sla, SlaEvent.callbackMade(), now))
                .compose(ok -> announce(conn, current, caller.userId(), "callback-made", true, null, after, now))
                .map(a -> a.change(current));
          });
    }));
  }

  /** A public comment, or an internal note (staff only: the handler decides who may). */
  public Future<Change<Comment>> addComment(String tenantId, Caller caller, String number, String body,
      boolean internal) {
    return addComment(tenantId, caller, number, body, internal, null);
  }

  /** As {@link #addComment(String, Caller, String, String, boolean)}; a public comment may stop SLA clocks ({@link SlaEvent#comment}). */
  public Future<Change<Comment>> addComment(String tenantId, Caller caller, String number, String body,
      boolean internal, SlaClocks sla) {
    OffsetDateTime now = now();
    String type = internal ? "internal-note-added" : "comment-added";
    return keyed.inTenant(tenantId, (conn, commit) -> lock(conn, tenantId, caller, number).compose(t -> {
      // the comment, the touch and the clocks' first read go out together; the event and the
      // COMMIT go last, together, so the event counter's lock is held for one statement
      UUID id = UUID.randomUUID();
      Future<Comment> inserted = run(conn, "insert-comment", Params.of("id", id, "tenant_id", tenantId,
              "ticket_id", t.id(), "author_id", caller.userId(), "body", body, "internal", internal, "now", now))
          .map(rows -> comment(rows.iterator().next()));
      Future<Void> touched = touch(conn, t, now);
      Future<Void> clocks = sla == null ? Future.succeededFuture()
          : applyClocks(conn, t, sla, SlaEvent.comment(TicketWorkflow.isStaff(caller.role()), !internal), now);
      return Future.join(inserted, touched, clocks)
          .compose(ok -> commit.behind(announce(conn, t, caller.userId(), type, !internal, null,
              new JsonObject().put("commentId", id.toString()).put("body", body), now)))
          .map(a -> a.change(inserted.result()));
    }));
  }

  public Future<List<Comment>> comments(String tenantId, Caller caller, String number) {
    return readChildren(tenantId, caller, number, "list-comments", TicketStore::comment);
  }

  /**
   * Stores a file. 413 {@code ticket.attachments-too-large} when the request's files would exceed
   * {@code perRequestLimit} bytes together (checked under the request's row lock).
   */
  public Future<Change<Attachment>> addAttachment(String tenantId, Caller caller, String number, String fileName,
      String contentType, Buffer content, long perRequestLimit) {
    OffsetDateTime now = now();
    return keyed.inTenant(tenantId, conn -> lock(conn, tenantId, caller, number).compose(t ->
        run(conn, "attachment-bytes", Params.of("tenant_id", tenantId, "ticket_id", t.id()))
            .compose(rows -> rows.iterator().next().getLong("total") + content.length() > perRequestLimit
                ? Future.failedFuture(new OtklikException(413, "ticket.attachments-too-large", perRequestLimit))
                : run(conn, "insert-attachment", Params.of("id", UUID.randomUUID(), "tenant_id", tenantId,
                    "ticket_id", t.id(), "file_name", fileName, "content_type", contentType,
                    "size_bytes", content.length(), "content", content, "uploaded_by", caller.userId(), "now", now)))
            .map(rows -> attachment(rows.iterator().next()))
            .compose(a -> touch(conn, t, now)
                .compose(ok -> announce(conn, t, caller.userId(), "attachment-added", true, null, new JsonObject()
                    .put("attachmentId", a.id().toString()).put("fileName", fileName)
                    .put("contentType", contentType).put("sizeBytes", a.sizeBytes()), now))
                .map(appended -> appended.change(a)))));
  }

  public Future<List<Attachment>> attachments(String tenantId, Caller caller, String number) {
    return readChildren(tenantId, caller, number, "list-attachments", TicketStore::attachment);
  }

  public Future<Optional<AttachmentContent>> attachment(String tenantId, Caller caller, String number, UUID id) {
    return keyed.inTenant(tenantId, conn -> findVisible(conn, tenantId, caller, number)
        .compose(t -> run(conn, "find-attachment", Params.of("tenant_id", tenantId, "ticket_id", t.id(), "id", id)))
        .map(rows -> rows.size() == 0 ? Optional.<AttachmentContent>empty() : Optional.of(new AttachmentContent(
            attachment(rows.iterator().next()), rows.iterator().next().getBuffer("content")))));
  }

  /** Time spent by staff; a non-public event. */
  public Future<Change<WorkLogEntry>> addWorkLog(String tenantId, Caller caller, String number, int minutes,
      String description) {
    OffsetDateTime now = now();
    return keyed.inTenant(tenantId, conn -> lock(conn, tenantId, caller, number).compose(t ->
        run(conn, "insert-worklog", Params.of("id", UUID.randomUUID(), "tenant_id", tenantId, "ticket_id", t.id(),
                "author_id", caller.userId(), "minutes", minutes, "description", description, "now", now))
            .map(rows -> workLog(rows.iterator().next()))
            .compose(w -> announce(conn, t, caller.userId(), "worklog-added", false, null, new JsonObject()
                    .put("worklogId", w.id().toString()).put("minutes", minutes), now)
                .map(a -> a.change(w)))));
  }

  public Future<List<WorkLogEntry>> workLog(String tenantId, Caller caller, String number) {
    return readChildren(tenantId, caller, number, "list-worklog", TicketStore::workLog);
  }

  /** The history after {@code afterSequence}; customers get the public events only. */
  public Future<List<TicketEvent>> events(String tenantId, Caller caller, String number, long afterSequence,
      int limit) {
    return keyed.inTenant(tenantId, conn -> findVisible(conn, tenantId, caller, number)
        .compose(t -> run(conn, "list-events", Params.of("tenant_id", tenantId, "ticket_id", t.id(),
            "include_internal", TicketWorkflow.isStaff(caller.role()), "after_sequence", afterSequence,
            "limit", limit)))
        .map(rows -> map(rows, TicketStore::event)));
  }

  private <T> Future<List<T>> readChildren(String tenantId, Caller caller, String number, String statement,
      Function<Row, T> item) {
    return keyed.inTenant(tenantId, conn -> findVisible(conn, tenantId, caller, number)
        .compose(t -> run(conn, statement, Params.of("tenant_id", tenantId, "ticket_id", t.id(),
            "include_internal", TicketWorkflow.isStaff(caller.role()))))
        .map(rows -> map(rows, item)));
  }

  Future<Ticket> findVisible(SqlConnection conn, String tenantId, Caller caller, String number) {
    return oneTicket(run(conn, "find-ticket", byNumber(tenantId, caller, number)), number);
  }

  Future<Ticket> lock(SqlConnection conn, String tenantId, Caller caller, String number) {
    return oneTicket(run(conn, "lock-ticket", byNumber(tenantId, caller, number)), number);
  }

  private static Future<Ticket> oneTicket(Future<RowSet<Row>> rows, String number) {
    return rows.compose(r -> r.size() == 0
        ? Future.failedFuture(OtklikException.notFound("ticket.not-found", number))
        : Future.succeededFuture(ticket(r.iterator().next())));
  }

  /**
   * The requester must be an enabled customer and a member of the organisation (V021). A customer
   * filing for an organisation they do not belong to gets 403 {@code ticket.organisation-forbidden};
   * staff naming a wrong requester, 400 {@code ticket.requester-invalid}.
   */
  private Future<Void> requireRequester(SqlConnection conn, String tenantId, Caller caller, UUID requesterId,
      UUID organisationId) {
    return run(conn, "find-user", Params.of("tenant_id", tenantId, "id", requesterId)).compose(rows -> {
      Row u = rows.size() == 0 ? null : rows.iterator().next();
      boolean customer = u != null && u.getBoolean("enabled") && "customer".equals(u.getString("role"));
      boolean member = customer && organisationId != null
          && List.of(u.getArrayOfUUIDs("organisation_ids")).contains(organisationId);
      if (member) {
        return Future.succeededFuture();
      }
      if (customer && caller.role() == Role.CUSTOMER && caller.userId().equals(requesterId)) {
        return Future.failedFuture(OtklikException.forbidden("ticket.organisation-forbidden", organisationId));
      }
      return Future.failedFuture(OtklikException.badRequest("ticket.requester-invalid", requesterId));
    });
  }

  private Future<Void> requireStaff(SqlConnection conn, String tenantId, UUID userId) {
    return run(conn, "find-user", Params.of("tenant_id", tenantId, "id", userId)).compose(rows -> {
      Row u = rows.size() == 0 ? null : rows.iterator().next();
      boolean ok = u != null && u.getBoolean("enabled") && !"customer".equals(u.getString("role"));
      return ok ? Future.succeededFuture()
          : Future.failedFuture(OtklikException.badRequest("ticket.assignee-invalid", userId));
    });
  }

  /**
   * A timer that fired: the event it appended ({@code sequence}, null when the timer was stale
   * because its clock had moved on, which fires nothing).
   */
  public record FiredTimer(UUID timerId, String number, String targetId, String kind, Long sequence,
      String eventType, boolean isPublic) {}

  /**
   * Fires the tenant's due SLA timers (up to {@code limit}) in one transaction: claims them with
   * {@code FOR UPDATE SKIP LOCKED} (another node's claim is skipped, not waited for), appends a
   * {@code sla-warning} or {@code sla-breached} event per timer, marks a breached deadline, and
   * sets {@code fired_at}, all before commit: each timer fires once across the cluster. A timer
   * whose request is being changed right now (its row locked) is left for the next round.
   * Events are public only for the customer's own clocks; vendor alarms are internal.
   */
  public Future<List<FiredTimer>> fireDueTimers(String tenantId, String claimer, int limit) {
    return fireDueTimers(tenantId, claimer, limit, null);
  }

  /**
   * As {@link #fireDueTimers(String, String, int)}, and fires workflow timers (kind
   * {@code workflow}) too: {@code close-by-timeout} closes an open request (status
   * {@code closed-by-timeout}), {@code auto-accept} accepts a proposed solution, {@code allow-close}
   * records {@code close-allowed}, {@code escalate} and {@code remind} record {@code escalated}
   * and {@code reminder}; each with a {@code ticket_event} whose actor is the system (null).
   * {@code sla} (null: none) stops or moves the request's clocks as the same change by a person would.
   */
  public Future<List<FiredTimer>> fireDueTimers(String tenantId, String claimer, int limit, SlaClocks sla) {
    OffsetDateTime now = now();
    NamedSql d = deadlines.sql();
    return tx.inTenant(tenantId, conn -> run(conn, d, "claim-due-timers",
            Params.of("tenant_id", tenantId, "now", now, "limit", limit))
        .compose(rows -> {
          Future<List<FiredTimer>> chain = Future.succeededFuture(new ArrayList<>());
          for (Row timer : rows) {
            chain = chain.compose(acc -> ("workflow".equals(timer.getString("kind"))
                ? fireWorkflow(conn, d, tenantId, timer, claimer, now, sla)
                : fireOne(conn, d, tenantId, timer, claimer, now, sla)).map(fired -> {
              fired.ifPresent(acc::add);
              return acc;
            }));
          }
          return chain;
        }));
  }

  private Future<Optional<FiredTimer>> fireOne(SqlConnection conn, NamedSql d, String tenantId, Row timer,
      String claimer, OffsetDateTime now, SlaClocks sla) {
    UUID ticketId = timer.getUUID("ticket_id");
    String target = timer.getString("target_id");
    String kind = timer.getString("kind");
    OffsetDateTime due = timer.getOffsetDateTime("due_at");
    boolean breach = "breach".equals(kind);
    return run(conn, d, "lock-ticket-by-id", Params.of("tenant_id", tenantId, "id", ticketId)).compose(locked -> {
      if (locked.size() == 0) {
        return Future.succeededFuture(Optional.<FiredTimer>empty());
      }
      Ticket t = ticket(locked.iterator().next());
      Map<String, Object> key = Params.of("tenant_id", tenantId, "ticket_id", ticketId, "target_id", target,
          "due_at", due);
      if (breach) {
        key.put("now", now);
      }
      return run(conn, d, breach ? "mark-breached" : "find-running-deadline", key).compose(found -> {
        Future<RowSet<Row>> marked = run(conn, d, "mark-fired", Params.of("tenant_id", tenantId,
            "id", timer.getUUID("id"), "now", now, "claimed_by", claimer));
        if (found.size() == 0) {
          return marked.map(Optional.of(new FiredTimer(timer.getUUID("id"), t.number(), target, kind, null, null,
              false)));
        }
        SlaClock clock = DeadlineRows.deadline(found.iterator().next()).clock();
        boolean isPublic = clock.side() == dev.otklik.core.tenant.Side.CUSTOMER;
        String type = breach ? "sla-breached" : "sla-warning";
        JsonObject after = new JsonObject().put("target", target).put("type", ConfigId.of(clock.type()))
            .put("side", ConfigId.of(clock.side())).put("dueAt", String.valueOf(clock.dueAt()))
            .put("warnAt", clock.warnAt() == null ? null : clock.warnAt().toString());
        Future<Long> alarm = marked.compose(ok -> appendEvent(conn, t, (UUID) null, type, isPublic, null, after, now));
        if (isPublic) {
          return alarm.compose(seq -> breach && sla != null
                  ? releaseVendor(conn, t, sla, target, now).map(seq) : Future.succeededFuture(seq))
              .map(seq -> Optional.of(new FiredTimer(timer.getUUID("id"), t.number(), target, kind, seq, type, true)));
        }
        if (sla == null || !sla.policy().escalation().escalates(kind)) {
          return alarm.map(seq -> Optional.of(new FiredTimer(timer.getUUID("id"), t.number(), target, kind, seq, type,
              false)));
        }
        // The signal names the escalation, the last event; readers fetch every event up to it.
        return alarm.compose(seq -> escalate(conn, t, sla, target, kind, now))
            .map(seq -> Optional.of(new FiredTimer(timer.getUUID("id"), t.number(), target, kind, seq, "escalated",
                false)));
      });
    });
  }

  /**
   * A vendor deadline's warning or breach escalates by the tenant's {@code sla.escalation}: an
   * internal {@code escalated} event names who is to be told (coordinators receive it live, and
   * by mail), and with {@code bump-priority} the priority rises one step. The deadlines keep
   * their cell (see {@link Escalation}).
   */
  private Future<Long> escalate(SqlConnection conn, Ticket t, SlaClocks sla, String target, String kind,
      OffsetDateTime now) {
    Escalation escalation = sla.policy().escalation();
    Optional<String> raised = escalation.bumpPriority()
        ? Escalation.higher(sla.priorities(), t.priority()) : Optional.empty();
    JsonObject after = new JsonObject().put("target", target).put("trigger", kind)
        .put("notify", new JsonArray(escalation.recipients())).put("priority", raised.orElse(t.priority()));
    JsonObject before = new JsonObject().put("priority", t.priority());
    if (raised.isEmpty()) {
      return appendEvent(conn, t, (UUID) null, "escalated", false, before, after, now);
    }
    return run(conn, "update-triage-fields", Params.of("tenant_id", t.tenantId(), "id", t.id(),
            "category", t.category(), "priority", raised.get(), "severity", t.severity(),
            "assignee_id", t.assigneeId(), "planned_date", t.plannedDate(), "now", now))
        .map(rows -> ticket(rows.iterator().next()))
        .compose(updated -> appendEvent(conn, updated, (UUID) null, "escalated", false, before, after, now));
  }

  /**
   * A customer deadline was missed (an unexcused customer delay, on record as its public
   * {@code sla-breached} event). Where the tenant's rule frees the vendor, its ticking clocks are
   * released, their timers dropped, and a public {@code sla-released} event lists them.
   */
  private Future<Void> releaseVendor(SqlConnection conn, Ticket t, SlaClocks sla, String customerTarget,
      OffsetDateTime now) {
    if (!sla.policy().customerDelayReleasesVendor()) {
      return Future.succeededFuture();
    }
    return deadlines.load(conn, t.tenantId(), t.id()).compose(before -> {
      List<SlaClock> clocks = before.stream().map(TicketDeadline::clock).toList();
      List<SlaClock> after = sla.releaseVendorAfterCustomerDelay(clocks, customerTarget, now.toInstant());
      List<String> released = new ArrayList<>();
      for (int i = 0; i < after.size(); i++) {
        if (after.get(i).status() != clocks.get(i).status()) {
          released.add(after.get(i).targetId());
        }
      }
      if (released.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      return deadlines.write(conn, t.tenantId(), t.id(), t.configVersion(), before, after, List.of(),
              sla.policy().version(), false, now)
          .compose(ok -> appendEvent(conn, t, (UUID) null, "sla-released", true,
              new JsonObject().put("deadlines", DeadlineRows.summary(clocks)),
              new JsonObject().put("customerTarget", customerTarget).put("released", new JsonArray(released))
                  .put("deadlines", DeadlineRows.summary(after)), now))
          .mapEmpty();
    });
  }

  private Future<Optional<FiredTimer>> fireWorkflow(SqlConnection conn, NamedSql d, String tenantId, Row timer,
      String claimer, OffsetDateTime now, SlaClocks sla) {
    UUID ticketId = timer.getUUID("ticket_id");
    String target = timer.getString("target_id");
    String action = timer.getString("action");
    String timerId = target.substring(WORKFLOW_PREFIX.length());
    return run(conn, d, "lock-ticket-by-id", Params.of("tenant_id", tenantId, "id", ticketId)).compose(locked -> {
      if (locked.size() == 0) {
        return Future.succeededFuture(Optional.<FiredTimer>empty());
      }
      Ticket t = ticket(locked.iterator().next());
      Future<RowSet<Row>> marked = run(conn, d, "mark-fired", Params.of("tenant_id", tenantId,
          "id", timer.getUUID("id"), "now", now, "claimed_by", claimer));
      JsonObject info = new JsonObject().put("timer", timerId).put("action", action);
      WorkflowStatus to = switch (action) {
        case "close-by-timeout" -> TicketWorkflow.OPEN.contains(t.status()) ? WorkflowStatus.CLOSED_BY_TIMEOUT : null;
        case "auto-accept" -> t.status() == WorkflowStatus.SOLUTION_PROPOSED ? WorkflowStatus.ACCEPTED : null;
        default -> null;
      };
      boolean changesStatus = "close-by-timeout".equals(action) || "auto-accept".equals(action);
      if (changesStatus && to == null) {
        // the request moved on before the timer fell due: nothing to do
        return marked.map(Optional.of(new FiredTimer(timer.getUUID("id"), t.number(), target, "workflow", null,
            null, false)));
      }
      if (!changesStatus) {
        String type = switch (action) {
          case "allow-close" -> "close-allowed";
          case "escalate" -> "escalated";
          default -> "reminder";
        };
        boolean isPublic = "allow-close".equals(action);
        return marked.compose(ok -> appendEvent(conn, t, (UUID) null, type, isPublic, null, info, now))
            .map(seq -> Optional.of(new FiredTimer(timer.getUUID("id"), t.number(), target, "workflow", seq, type,
                isPublic)));
      }
      TicketAction as = to == WorkflowStatus.ACCEPTED ? TicketAction.ACCEPT : TicketAction.CLOSE;
      OffsetDateTime finishedAt = TicketWorkflow.FINISHED.contains(to) ? now : null;
      return marked
          .compose(ok -> run(conn, "update-status", Params.of("tenant_id", tenantId, "id", t.id(),
              "status", ConfigId.of(to), "finished_at", finishedAt, "now", now)))
          .map(rows -> ticket(rows.iterator().next()))
          .compose(updated -> survey(conn, t.status(), updated, now))
          .compose(updated -> (sla == null ? Future.<Void>succeededFuture()
                  : applyClocks(conn, updated, sla, SlaEvent.transition(as, t.status(), to, false), now))
              .compose(ok -> TicketWorkflow.FINISHED.contains(to) ? run(conn, d, "cancel-all-workflow-timers",
                  Params.of("tenant_id", tenantId, "ticket_id", t.id())).<Void>mapEmpty() : Future.<Void>succeededFuture())
              .compose(ok -> appendEvent(conn, updated, (UUID) null, "status-changed", true,
                  new JsonObject().put("status", ConfigId.of(t.status())),
                  info.copy().put("status", ConfigId.of(to)), now)))
          .map(seq -> Optional.of(new FiredTimer(timer.getUUID("id"), t.number(), target, "workflow", seq,
              "status-changed", true)));
    });
  }

  /** The satisfaction survey of a closing ({@link SurveyStore#afterStatusChange}), in the change's transaction. */
  private Future<Ticket> survey(SqlConnection conn, WorkflowStatus from, Ticket updated, OffsetDateTime now) {
    return surveys == null ? Future.succeededFuture(updated)
        : surveys.afterStatusChange(conn, from, updated, now).map(updated);
  }

  private static final String WORKFLOW_PREFIX = "workflow:";
  /** The sla_timer target of a callback promise's alarm (fired as an {@code escalate} workflow timer). */
  private static final String CALLBACK_TIMER = WORKFLOW_PREFIX + "callback-promise";

  /**
   * Arms and cancels the tenant's workflow timers for {@code event}, in the transaction of the
   * change: a timer whose {@code starts-on} happened gets a fresh row (an unfired one is
   * replaced); one whose {@code cancelled-by} happened, or any when the request finished, loses
   * its unfired row. Starts apply before cancels, as for the clocks.
   */
  private Future<Void> workflowTimers(SqlConnection conn, Ticket t, SlaClocks sla, SlaEvent event,
      OffsetDateTime now) {
    NamedSql d = deadlines.sql();
    // sent together, in order (see DeadlineRows#write)
    List<Future<RowSet<Row>>> sent = new ArrayList<>();
    for (WorkflowTimer w : sla.timers()) {
      Map<String, Object> key = Params.of("tenant_id", t.tenantId(), "ticket_id", t.id(),
          "target_id", WORKFLOW_PREFIX + w.id());
      if (event.starts().contains(w.startsOn())) {
        Optional<java.time.Instant> due = sla.timerDue(w, now.toInstant());
        sent.add(run(conn, d, "cancel-workflow-timer", key));
        if (due.isPresent()) {
          Map<String, Object> row = new java.util.HashMap<>(key);
          row.put("id", UUID.randomUUID());
          row.put("due_at", due.get().atOffset(ZoneOffset.UTC));
          row.put("action", ConfigId.of(w.action()));
          sent.add(run(conn, d, "insert-workflow-timer", row));
        }
      }
      boolean cancelled = w.cancelledBy().map(event.stops()::contains).orElse(false)
          || (event.status() != null && TicketWorkflow.FINISHED.contains(event.status()));
      if (cancelled) {
        sent.add(run(conn, d, "cancel-workflow-timer", key));
      }
    }
    return sent.isEmpty() ? Future.succeededFuture() : Future.join(sent).mapEmpty();
  }

  /**
   * Recomputes the open deadlines of the tenant's open requests after its config changed:
   * figures from {@code sla} (the new matrix and calendar), start instants unchanged, pauses kept
   * ({@link SlaClocks#retarget} with the request's own attributes). Each recalculated request gets
   * an internal {@code sla-recalculated} event (actor: the system) with the deadlines before and
   * after, and its open deadline rows the new SLA and config version. Runs {@code batchSize}
   * requests per transaction, so a big tenant never holds one long transaction. Idempotent: a
   * request whose open deadlines already carry the tenant's current config version is skipped,
   * so every node reacting to the same reload records one event per request between them.
   * Returns how many requests were recalculated.
   */
  public Future<Integer> recalculateDeadlines(String tenantId, SlaClocks sla, int batchSize) {
    return recalculateBatch(tenantId, sla, batchSize, new UUID(0L, 0L), 0);
  }

  private Future<Integer> recalculateBatch(String tenantId, SlaClocks sla, int batchSize, UUID after, int sofar) {
    OffsetDateTime now = now();
    NamedSql d = deadlines.sql();
    String[] open = TicketWorkflow.OPEN.stream().map(ConfigId::of).sorted().toArray(String[]::new);
    record Batch(int seen, UUID last, int recalculated) {}
    return tx.inTenant(tenantId, conn -> run(conn, d, "current-config-version", Params.of("tenant_id", tenantId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("current_version"))
        .compose(version -> run(conn, d, "lock-open-tickets-after", Params.of("tenant_id", tenantId,
                "statuses", open, "after", after, "limit", batchSize))
            .compose(rows -> {
              List<Ticket> tickets = map(rows, TicketStore::ticket);
              Future<Integer> chain = Future.succeededFuture(0);
              for (Ticket t : tickets) {
                chain = chain.compose(n -> recalculateOne(conn, d, t, sla, version, now).map(done -> done ? n + 1 : n));
              }
              return chain.map(n -> new Batch(tickets.size(),
                  tickets.isEmpty() ? after : tickets.get(tickets.size() - 1).id(), n));
            })))
        .compose(b -> b.seen() < batchSize ? Future.succeededFuture(sofar + b.recalculated())
            : recalculateBatch(tenantId, sla, batchSize, b.last(), sofar + b.recalculated()));
  }

  private Future<Boolean> recalculateOne(SqlConnection conn, NamedSql d, Ticket t, SlaClocks sla, Integer version,
      OffsetDateTime now) {
    return deadlines.load(conn, t.tenantId(), t.id()).compose(before -> {
      List<TicketDeadline> open = before.stream().filter(x -> x.clock().status().isOpen()).toList();
      if (open.isEmpty() || open.stream().allMatch(x -> version != null && version.equals(x.configVersion()))) {
        return Future.succeededFuture(false);
      }
      List<SlaClock> clocks = before.stream().map(TicketDeadline::clock).toList();
      SlaClocks.Retarget r = sla.retarget(clocks, slaAttributes(t), t.createdAt().toInstant(), t.status(),
          now.toInstant());
      JsonObject beforeJson = new JsonObject().put("deadlines", DeadlineRows.summary(clocks))
          .put("slaVersion", open.get(0).slaVersion()).put("configVersion", open.get(0).configVersion());
      JsonObject afterJson = new JsonObject().put("deadlines", DeadlineRows.summary(r.clocks()))
          .put("slaVersion", sla.policy().version()).put("configVersion", version);
      return deadlines.write(conn, t.tenantId(), t.id(), version, before, r.clocks(), r.removed(),
              sla.policy().version(), true, now)
          .compose(ok -> run(conn, d, "stamp-open-deadlines", Params.of("tenant_id", t.tenantId(),
              "ticket_id", t.id(), "sla_version", sla.policy().version(), "config_version", version, "now", now)))
          .compose(ok -> appendEvent(conn, t, (UUID) null, "sla-recalculated", false, beforeJson, afterJson, now))
          .map(true);
    });
  }

  /** The attributes an SLA cell matches on. */
  static Map<String, String> slaAttributes(Ticket t) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("kind", t.kind());
    out.put("category", t.category());
    out.put("priority", t.priority());
    out.put("severity", t.severity());
    out.put("service", t.service());
    return out;
  }

  private Future<Void> startClocks(SqlConnection conn, Ticket t, SlaClocks sla, boolean callbackPromised,
      OffsetDateTime now) {
    if (sla == null) {
      return Future.succeededFuture();
    }
    SlaEvent event = SlaEvent.created(callbackPromised, t.form() != null);
    List<SlaClock> clocks = sla.apply(sla.plan(slaAttributes(t)), event, now.toInstant());
    return Future.join(deadlines.write(conn, t.tenantId(), t.id(), t.configVersion(), List.of(), clocks, List.of(),
        sla.policy().version(), false, now), workflowTimers(conn, t, sla, event, now)).mapEmpty();
  }

  private Future<Void> applyClocks(SqlConnection conn, Ticket t, SlaClocks sla, SlaEvent event, OffsetDateTime now) {
    return deadlines.load(conn, t.tenantId(), t.id()).compose(before -> {
      List<SlaClock> clocks = before.stream().map(TicketDeadline::clock).toList();
      List<SlaClock> after = sla.apply(clocks, event, now.toInstant());
      return Future.join(deadlines.write(conn, t.tenantId(), t.id(), t.configVersion(), before, after, List.of(),
          sla.policy().version(), false, now), workflowTimers(conn, t, sla, event, now)).mapEmpty();
    });
  }

  private Future<Void> retarget(SqlConnection conn, Ticket t, SlaClocks sla, JsonObject beforeJson,
      JsonObject afterJson, OffsetDateTime now) {
    return deadlines.load(conn, t.tenantId(), t.id()).compose(before -> {
      List<SlaClock> clocks = before.stream().map(TicketDeadline::clock).toList();
      SlaClocks.Retarget r = sla.retarget(clocks, slaAttributes(t), t.createdAt().toInstant(), t.status(),
          now.toInstant());
      beforeJson.put("deadlines", DeadlineRows.summary(clocks));
      afterJson.put("deadlines", DeadlineRows.summary(r.clocks()));
      afterJson.put("slaVersion", sla.policy().version());
      return deadlines.write(conn, t.tenantId(), t.id(), t.configVersion(), before, r.clocks(), r.removed(),
          sla.policy().version(), true, now);
    });
  }

  private Future<Void> touch(SqlConnection conn, Ticket t, OffsetDateTime now) {
    return run(conn, "touch-ticket", Params.of("tenant_id", t.tenantId(), "id", t.id(), "now", now)).mapEmpty();
  }

  /** Appends the event and its outbox row; returns the event's sequence. */
  private Future<Long> appendEvent(SqlConnection conn, Ticket t, Caller caller, String type, boolean isPublic,
      JsonObject before, JsonObject after, OffsetDateTime now) {
    return appendEvent(conn, t, caller.userId(), type, isPublic, before, after, now);
  }

  /** As above, for an actor that may be the system itself (null). One round trip ({@code append-event}). */
  Future<Long> appendEvent(SqlConnection conn, Ticket t, UUID actorId, String type, boolean isPublic,
      JsonObject before, JsonObject after, OffsetDateTime now) {
    return announce(conn, t, actorId, type, isPublic, before, after, now).map(Appended::sequence);
  }

  /** As {@link #appendEvent}, with the row for the post-commit signal. */
  Future<Appended> announce(SqlConnection conn, Ticket t, UUID actorId, String type, boolean isPublic,
      JsonObject before, JsonObject after, OffsetDateTime now) {
    return run(conn, "append-event", Params.of("tenant_id", t.tenantId(), "ticket_id", t.id(), "type", type,
            "actor_id", actorId, "public", isPublic, "before", before, "after", after, "now", now,
            "outbox_id", UUID.randomUUID(), "payload", new JsonObject().put("tenantId", t.tenantId())
                .put("ticketId", t.id().toString()).put("number", t.number()).put("type", type).put("public", isPublic)))
        .map(rows -> {
          Row row = rows.iterator().next();
          long sequence = row.getLong("event_sequence");
          return new Appended(sequence, EventSignal.row(sequence, t, actorId, type, isPublic, before, after, now,
              Arrays.asList(row.getArrayOfUUIDs("watcher_ids"))));
        });
  }

  private Future<RowSet<Row>> run(SqlConnection conn, String statement, Map<String, Object> values) {
    return run(conn, sql, statement, values);
  }

  private static Future<RowSet<Row>> run(SqlConnection conn, NamedSql sql, String statement,
      Map<String, Object> values) {
    return sql.run(conn, statement, values);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static String[] array(List<String> values) {
    return values == null || values.isEmpty() ? null : values.toArray(String[]::new);
  }

  private static <T> List<T> map(RowSet<Row> rows, Function<Row, T> item) {
    List<T> out = new ArrayList<>();
    rows.forEach(row -> out.add(item.apply(row)));
    return out;
  }

  private static JsonObject summary(Ticket t) {
    return new JsonObject().put("number", t.number()).put("status", ConfigId.of(t.status()))
        .put("channel", t.channel()).put("subject", t.subject()).put("kind", t.kind()).put("priority", t.priority())
        .put("severity", t.severity()).put("service", t.service());
  }

  private static JsonObject triage(TriageFields f) {
    return new JsonObject().put("category", f.category()).put("priority", f.priority())
        .put("severity", f.severity())
        .put("assigneeId", f.assigneeId() == null ? null : f.assigneeId().toString())
        .put("plannedDate", f.plannedDate() == null ? null : f.plannedDate().toString());
  }

  static Ticket ticket(Row row) {
    return new Ticket(row.getUUID("id"), row.getString("tenant_id"), row.getString("number"),
        row.getString("channel"), ConfigId.parse(WorkflowStatus.class, row.getString("status")),
        row.getString("kind"), row.getString("category"), row.getString("priority"), row.getString("severity"),
        row.getString("service"), row.getString("subject"), row.getString("description"),
        (JsonObject) row.getValue("form"), row.getUUID("organisation_id"), row.getUUID("requester_id"),
        row.getUUID("created_by"), row.getUUID("assignee_id"), row.getLocalDate("planned_date"),
        row.getOffsetDateTime("callback_due_at"), row.getInteger("config_version"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"),
        row.getOffsetDateTime("finished_at"), row.getInteger("version"));
  }

  private static Comment comment(Row row) {
    return new Comment(row.getUUID("id"), row.getUUID("author_id"), row.getString("body"),
        row.getBoolean("internal"), row.getOffsetDateTime("created_at"));
  }

  private static Attachment attachment(Row row) {
    return new Attachment(row.getUUID("id"), row.getString("file_name"), row.getString("content_type"),
        row.getInteger("size_bytes"), row.getUUID("uploaded_by"), row.getOffsetDateTime("created_at"));
  }

  private static WorkLogEntry workLog(Row row) {
    return new WorkLogEntry(row.getUUID("id"), row.getUUID("author_id"), row.getInteger("minutes"),
        row.getString("description"), row.getOffsetDateTime("created_at"));
  }

  private static TicketEvent event(Row row) {
    return new TicketEvent(row.getLong("sequence"), row.getUUID("ticket_id"), row.getString("type"),
        row.getUUID("actor_id"), row.getBoolean("public"), (JsonObject) row.getValue("before"),
        (JsonObject) row.getValue("after"), row.getOffsetDateTime("created_at"));
  }
}
