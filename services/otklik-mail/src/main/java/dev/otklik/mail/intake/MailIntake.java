package dev.otklik.mail.intake;

import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.core.sla.SlaClocks;
import dev.otklik.core.sla.SlaEvent;
import dev.otklik.core.tenant.ForwardTarget;
import dev.otklik.mail.MailAddress;
import dev.otklik.mail.TenantMail;
import dev.otklik.mail.inbound.InboundMailParser;
import dev.otklik.mail.inbound.ParsedAttachment;
import dev.otklik.mail.inbound.ParsedMail;
import dev.otklik.mail.inbound.ReplyTrimmer;
import dev.otklik.mail.inbound.ThreadingKeys;
import dev.otklik.mail.outbound.Notifications;
import dev.otklik.store.ListQuery;
import dev.otklik.store.MailStore;
import dev.otklik.store.OrganisationStore;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TicketStore;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an inbound message into a request, a comment, or an answer, by the tenant's rules.
 *
 * <ol>
 *   <li>{@link #receive}: the raw bytes are parsed (on a worker thread) and recorded in
 *       {@code inbound_mail}, committed, keyed by Message-ID or content hash: a second delivery
 *       of the same message finds the first row and creates nothing.
 *   <li>{@link #process}: in ONE transaction the row is locked ({@code FOR UPDATE SKIP LOCKED}),
 *       the request or comment (and its attachments) written, and the row marked processed. A
 *       crash before the commit leaves the row 'received': the next {@link #processPending} or
 *       redelivery processes it, exactly once.
 * </ol>
 *
 * Rules: mail from a registered, enabled user is a comment on the request it answers
 * (In-Reply-To, References, then the number in the subject), else a new request (customers
 * only). An unregistered sender gets what {@code intake.email.unregistered-sender} says:
 * {@code register} (an account in the organisation owning the sender's mail domain, if any),
 * {@code forward} (to the organisation's registered people, or to the tenant's address) or
 * {@code bounce}; without a matching organisation the sender is answered. No request is created
 * for an unregistered sender. A message that cannot be parsed, or that the rules refuse with an
 * error, is quarantined with the reason; its raw bytes stay for an admin to download and retry.
 */
public final class MailIntake {

  private static final Logger LOG = LoggerFactory.getLogger(MailIntake.class);
  private static final long PER_REQUEST_ATTACHMENTS = 50L * 1024 * 1024;
  /** Failures without a verdict (not a rule, not the parser) before a message is quarantined. */
  static final int MAX_FAILED_ATTEMPTS = 5;

  /** What became of a message. {@code state}: received, processed, rejected or quarantined. */
  public record Result(UUID id, boolean duplicate, String state, String outcome, String ticketNumber, String problem) {

    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("duplicate", duplicate).put("state", state)
          .put("outcome", outcome).put("requestNumber", ticketNumber).put("problem", problem);
    }
  }

  /** Test hook: called inside the processing transaction just before it commits. */
  @FunctionalInterface
  public interface Faults {
    Faults NONE = (tenantId, inboundId) -> {};

    void beforeCommit(String tenantId, UUID inboundId);
  }

  private final Vertx vertx;
  private final MailStore store;
  private final Function<String, Optional<TenantMail>> tenants;
  private final Clock clock;
  private final InboundMailParser parser;
  private volatile Faults faults = Faults.NONE;
  private volatile Function<String, SlaClocks> sla = tenantId -> null;

  public MailIntake(Vertx vertx, MailStore store, Function<String, Optional<TenantMail>> tenants, Clock clock) {
    this(vertx, store, tenants, clock, new InboundMailParser());
  }

  public MailIntake(Vertx vertx, MailStore store, Function<String, Optional<TenantMail>> tenants, Clock clock,
      InboundMailParser parser) {
    this.vertx = vertx;
    this.store = store;
    this.tenants = tenants;
    this.clock = clock;
    this.parser = parser;
  }

  public void faults(Faults faults) {
    this.faults = faults == null ? Faults.NONE : faults;
  }

  /**
   * The tenant's SLA clocks (null: none), so a request registered by mail gets its deadlines as
   * one filed on the portal would. A mail carries no category or priority, so only the policy's
   * common targets (e.g. triage from registration) can start; triage sets the rest.
   */
  public MailIntake sla(Function<String, SlaClocks> sla) {
    this.sla = sla == null ? tenantId -> null : sla;
    return this;
  }

  /** The clocks, if planning them for an attribute-less request works; a mail is never refused for SLA's sake. */
  private SlaClocks clocksFor(String tenantId) {
    try {
      SlaClocks clocks = sla.apply(tenantId);
      if (clocks != null) {
        java.util.Map<String, String> none = new java.util.HashMap<>();
        for (String key : List.of("kind", "category", "priority", "severity", "service")) {
          none.put(key, null);
        }
        clocks.apply(clocks.plan(none), SlaEvent.created(false, false), clock.instant());
      }
      return clocks;
    } catch (RuntimeException e) {
      LOG.warn("No SLA clocks for mail of tenant {}: {}", tenantId, e.toString());
      return null;
    }
  }

  /** Records a raw message (durably) and processes it; a duplicate delivery creates nothing new. */
  public Future<Result> receive(String tenantId, byte[] raw, String source) {
    TenantMail tenant = tenants.apply(tenantId).orElse(null);
    if (tenant == null) {
      return Future.failedFuture(new OtklikException(404, "tenant.not-found", tenantId));
    }
    return parse(raw).compose(parsed -> store.receive(tenantId, parsed.dedupKey(), parsed.messageId(), source, raw,
            parsed.from() == null ? null : parsed.from().address(), parsed.subject())
        .compose(received -> {
          if (received.duplicate() && !"received".equals(received.state())) {
            return Future.succeededFuture(new Result(received.id(), true, received.state(), received.outcome(),
                null, null));
          }
          // new, or an earlier delivery whose processing never committed: process it now
          return processParsed(tenant, received.id(), parsed)
              .map(r -> new Result(r.id(), received.duplicate(), r.state(), r.outcome(), r.ticketNumber(),
                  r.problem()));
        }));
  }

  /** Processes a recorded message still 'received' (after a crash, or an admin's retry). */
  public Future<Result> process(String tenantId, UUID id) {
    TenantMail tenant = tenants.apply(tenantId).orElse(null);
    if (tenant == null) {
      return Future.failedFuture(new OtklikException(404, "tenant.not-found", tenantId));
    }
    return store.inboundRaw(tenantId, id).compose(raw -> raw.isEmpty()
        ? Future.failedFuture(new OtklikException(404, "mail.not-found", id))
        : parse(raw.get()).compose(parsed -> processParsed(tenant, id, parsed)));
  }

  /** Processes every message of the tenant still 'received'; completes with how many were done. */
  public Future<Integer> processPending(String tenantId) {
    return store.pendingInbound(tenantId, 50).compose(ids -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (UUID id : ids) {
        chain = chain.compose(n -> process(tenantId, id).map(r -> "received".equals(r.state()) ? n : n + 1)
            .recover(e -> {
              LOG.warn("Inbound mail {} of tenant {} not processed: {}", id, tenantId, e.toString());
              return Future.succeededFuture(n);
            }));
      }
      return chain;
    });
  }

  private Future<ParsedMail> parse(byte[] raw) {
    return vertx.executeBlocking(() -> parser.parse(raw), false);
  }

  /** The decision and its writes, all in one transaction. */
  private final class Work {
    final TenantMail tenant;
    final UUID inboundId;
    final ParsedMail mail;
    final SqlConnection conn;
    final List<TicketStore.Change<?>> changes = new ArrayList<>();
    final TicketStore tickets;
    final UserStore users;
    final OrganisationStore organisations;

    Work(TenantMail tenant, UUID inboundId, ParsedMail mail, SqlConnection conn) {
      this.tenant = tenant;
      this.inboundId = inboundId;
      this.mail = mail;
      this.conn = conn;
      TenantTransactions joined = TenantTransactions.joining(conn);
      this.tickets = new TicketStore(joined, clock);
      this.users = new UserStore(joined);
      this.organisations = new OrganisationStore(joined);
    }

    String tenantId() {
      return tenant.tenantId();
    }
  }

  private record Decision(String state, String outcome, String problem, UUID ticketId, String ticketNumber) {}

  private Future<Result> processParsed(TenantMail tenant, UUID id, ParsedMail parsed) {
    String tenantId = tenant.tenantId();
    List<TicketStore.Change<?>> committed = new ArrayList<>();
    return store.transactions().inTenant(tenantId, conn -> store.lockReceived(conn, tenantId, id).compose(locked -> {
          if (locked.isEmpty()) {
            return Future.succeededFuture((Decision) null); // done already, or another node has it
          }
          Work work = new Work(tenant, id, parsed, conn);
          return decide(work)
              .compose(d -> store.finishInbound(conn, tenantId, id, d.state(), d.outcome(), d.problem(), d.ticketId())
                  .map(d))
              .map(d -> {
                faults.beforeCommit(tenantId, id);
                committed.addAll(work.changes);
                return d;
              });
        }))
        .map(d -> {
          for (TicketStore.Change<?> change : committed) {
            vertx.eventBus().publish(EventBusAddresses.tenantEvents(tenantId), new JsonObject()
                .put("sequence", change.sequence()).put("type", change.eventType()).put("public", change.isPublic()));
          }
          if (d == null) {
            return new Result(id, false, "received", null, null, null);
          }
          return new Result(id, false, d.state(), d.outcome(), d.ticketNumber(), d.problem());
        })
        .recover(e -> {
          if (e instanceof OtklikException || e instanceof IllegalArgumentException) {
            // the rules refused it: keep it for an admin (a crash or a lost database is retried instead)
            String problem = e instanceof OtklikException o ? o.code() + ": " + o.getMessage() : e.toString();
            return store.quarantine(tenantId, id, problem)
                .map(ok -> new Result(id, false, "quarantined", "quarantined", null, problem));
          }
          // a crash or an outage: the message stays 'received' for the next pass, unless it keeps failing
          return store.recordFailure(tenantId, id, e.toString())
              .compose(attempts -> attempts >= MAX_FAILED_ATTEMPTS
                  ? store.quarantine(tenantId, id, "failed " + attempts + " times: " + e)
                      .map(ok -> new Result(id, false, "quarantined", "quarantined", null, e.toString()))
                  : Future.<Result>failedFuture(e),
                  counting -> Future.<Result>failedFuture(e));
        });
  }

  private Future<Decision> decide(Work w) {
    ParsedMail m = w.mail;
    if (m.unparseable() || m.tooLarge()) {
      return quarantined(m.problem() == null ? m.status().name().toLowerCase(Locale.ROOT) : m.problem());
    }
    if (m.from() == null) {
      return quarantined("no sender address");
    }
    if (m.from().address().equalsIgnoreCase(w.tenant.sender().address())) {
      return Future.succeededFuture(new Decision("rejected", "ignored-own-mail", null, null, null));
    }
    if (automatic(m.raw())) {
      // an out-of-office reply or a list digest is kept in the log, never a request or a comment
      return Future.succeededFuture(new Decision("rejected", "ignored-automatic", null, null, null));
    }
    return w.users.findByEmail(w.tenantId(), m.from().address()).compose(user -> {
      if (user.isPresent() && user.get().enabled()) {
        return fromUser(w, user.get());
      }
      return fromUnregistered(w);
    });
  }

  private static Future<Decision> quarantined(String problem) {
    return Future.succeededFuture(new Decision("quarantined", "quarantined", problem, null, null));
  }

  private Future<Decision> fromUser(Work w, UserAccount user) {
    // replies reach the requests of all the sender's organisations and the ones they watch; a new
    // request by mail belongs to the primary organisation (register)
    TicketStore.Caller caller = new TicketStore.Caller(user.id(), user.role(), user.organisationId(),
        java.util.Set.copyOf(user.organisationIds()));
    return thread(w).compose(ref -> ref.isEmpty() ? Future.succeededFuture(Optional.<dev.otklik.store.Ticket>empty())
            : w.tickets.find(w.tenantId(), caller, ref.get().number()))
        .compose(ticket -> {
          if (ticket.isPresent()) {
            return comment(w, caller, ticket.get());
          }
          if (user.role() != Role.CUSTOMER) {
            return Future.succeededFuture(new Decision("rejected", "ignored-staff-mail-without-request", null, null,
                null));
          }
          return register(w, caller, user);
        });
  }

  private Future<Optional<MailStore.TicketRef>> thread(Work w) {
    return store.ticketByMessageIds(w.conn, w.tenantId(), ThreadingKeys.referencedMessageIds(w.mail))
        .compose(byId -> {
          if (byId.isPresent()) {
            return Future.succeededFuture(byId);
          }
          Optional<String> number = ThreadingKeys.forPrefix(w.tenant.numberPrefix()).requestNumber(w.mail.subject());
          return number.isEmpty() ? Future.succeededFuture(Optional.<MailStore.TicketRef>empty())
              : store.ticketByNumber(w.conn, w.tenantId(), number.get());
        });
  }

  private Future<Decision> comment(Work w, TicketStore.Caller caller, dev.otklik.store.Ticket ticket) {
    String text = ReplyTrimmer.trim(w.mail.textBody()).strip();
    if (text.isEmpty()) {
      text = w.mail.attachments().isEmpty() ? "(пустое письмо / empty mail)" : "(вложения / attachments)";
    }
    return w.tickets.addComment(w.tenantId(), caller, ticket.number(), text, false)
        .compose(change -> {
          w.changes.add(change);
          return attachments(w, caller, ticket.number());
        })
        .map(ok -> new Decision("processed", "commented", null, ticket.id(), ticket.number()));
  }

  private Future<Decision> register(Work w, TicketStore.Caller caller, UserAccount user) {
    String subject = ThreadingKeys.withoutReplyPrefixes(w.mail.subject()).strip();
    if (subject.isEmpty()) {
      subject = "(без темы / no subject)";
    }
    if (subject.length() > 500) {
      subject = subject.substring(0, 500);
    }
    String description = w.mail.textBody().strip();
    TicketStore.NewTicket t = new TicketStore.NewTicket(w.tenant.numberPrefix(), w.tenant.zone(), "email", null, null,
        null, null, null, subject, description.isEmpty() ? null : description, null, user.organisationId(),
        user.id(), null, null, null);
    return w.tickets.create(w.tenantId(), caller, t, clocksFor(w.tenantId())).compose(change -> {
      w.changes.add(change);
      return attachments(w, caller, change.value().number())
          .map(ok -> new Decision("processed", "registered", null, change.value().id(), change.value().number()));
    });
  }

  private Future<Void> attachments(Work w, TicketStore.Caller caller, String number) {
    Future<Void> chain = Future.succeededFuture();
    int i = 0;
    for (ParsedAttachment a : w.mail.attachments()) {
      i++;
      if (a.contentDropped() || a.bytes() == null || a.bytes().length == 0) {
        continue;
      }
      String name = a.fileName() == null || a.fileName().isBlank() ? "attachment-" + i : a.fileName();
      if (name.length() > 255) {
        name = name.substring(name.length() - 255);
      }
      String fileName = name;
      String type = a.contentType() == null ? "application/octet-stream" : a.contentType();
      chain = chain.compose(ok -> w.tickets.addAttachment(w.tenantId(), caller, number, fileName, type,
              Buffer.buffer(a.bytes()), PER_REQUEST_ATTACHMENTS)
          .map(change -> {
            w.changes.add(change);
            return (Void) null;
          }));
    }
    return chain;
  }

  /** RFC 3834: mail from an autoresponder or a list is never answered or forwarded. */
  private static final java.util.regex.Pattern AUTOMATIC = java.util.regex.Pattern.compile(
      "(?im)^(auto-submitted:[ \\t]*auto-|precedence:[ \\t]*(bulk|junk|list)|x-autoreply:|x-autorespond:)");

  static boolean automatic(byte[] raw) {
    String text = new String(raw, 0, Math.min(raw.length, 64 * 1024), java.nio.charset.StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      end = text.indexOf("\n\n");
    }
    return AUTOMATIC.matcher(end < 0 ? text : text.substring(0, end)).find();
  }

  private Future<Decision> fromUnregistered(Work w) {
    MailAddress from = w.mail.from();
    return switch (w.tenant.intake().unregisteredSender()) {
      case REGISTER -> w.organisations.findByEmailDomain(w.tenantId(), from.domain().toLowerCase(Locale.ROOT))
          .compose(org -> {
            if (org.isEmpty()) {
              return answer(w);
            }
            String name = from.displayName() == null ? from.localPart() : from.displayName();
            return w.users.create(w.tenantId(), new UserStore.NewUser(from.address(), name,
                    w.tenant.language().name().toLowerCase(Locale.ROOT), null, Role.CUSTOMER, org.get().id()))
                .compose(user -> register(w, new TicketStore.Caller(user.id(), user.role(), user.organisationId()),
                    user))
                .map(d -> new Decision(d.state(), "registered-new-user", null, d.ticketId(), d.ticketNumber()));
          });
      case FORWARD -> forward(w);
      case BOUNCE -> answer(w);
    };
  }

  private Future<Decision> forward(Work w) {
    Future<List<String>> recipients;
    if (w.tenant.intake().forwardTo().orElse(ForwardTarget.ORGANISATION_EMAIL) == ForwardTarget.TENANT_ADDRESS) {
      recipients = Future.succeededFuture(List.of(w.tenant.sender().address()));
    } else {
      recipients = w.organisations.findByEmailDomain(w.tenantId(),
              w.mail.from().domain().toLowerCase(Locale.ROOT))
          .compose(org -> org.isEmpty() ? Future.succeededFuture(List.<String>of())
              : w.users.list(w.tenantId(), new UserStore.UserFilter(Role.CUSTOMER, org.get().id(), true),
                      new ListQuery(0, 20, null, null))
                  .map(page -> page.items().stream().map(UserAccount::email).toList()));
    }
    return recipients.compose(to -> {
      if (to.isEmpty()) {
        return answer(w);
      }
      JsonObject payload = new JsonObject().put("template", Notifications.FORWARDED).put("to", new JsonArray(to))
          .put("values", values(w).put("body", w.mail.textBody())).put("attachInbound", w.inboundId.toString());
      return store.insertDirect(w.conn, w.tenantId(), "direct", null, payload)
          .map(ok -> new Decision("rejected", "forwarded", null, null, null));
    });
  }

  /** The configured answer to an unregistered sender; no request is created. */
  private Future<Decision> answer(Work w) {
    JsonObject payload = new JsonObject().put("template", Notifications.UNREGISTERED_SENDER)
        .put("to", new JsonArray().add(w.mail.from().address())).put("values", values(w))
        .put("inReplyTo", w.mail.messageId());
    return store.insertDirect(w.conn, w.tenantId(), "direct", null, payload)
        .map(ok -> new Decision("rejected", "answered", null, null, null));
  }

  private static JsonObject values(Work w) {
    return new JsonObject().put("subject", w.mail.subject()).put("sender", w.mail.from().address());
  }
}
