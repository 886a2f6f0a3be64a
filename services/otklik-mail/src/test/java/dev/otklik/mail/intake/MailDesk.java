package dev.otklik.mail.intake;

import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.EmailIntake;
import dev.otklik.core.tenant.ForwardTarget;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.UnregisteredSenderAction;
import dev.otklik.mail.MailAddress;
import dev.otklik.mail.TenantMail;
import dev.otklik.mail.outbound.MailDispatcherVerticle;
import dev.otklik.mail.outbound.SmtpSender;
import dev.otklik.store.MailStore;
import dev.otklik.store.Organisation;
import dev.otklik.store.OrganisationStore;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestTenants;
import dev.otklik.store.Ticket;
import dev.otklik.store.TicketStore;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant of its own for one mail test: a customer organisation owning a mail domain, one
 * registered customer and one agent, the tenant's mail settings and its intake rules.
 */
final class MailDesk {

  final String tenantId;
  final TenantTransactions tx = TestDatabase.transactions();
  final Clock clock;
  final MailStore store;
  final TenantMail tenant;
  final String domain;
  final Organisation organisation;
  final UserAccount customer;
  final UserAccount agent;

  private MailDesk(UnregisteredSenderAction action, ForwardTarget forwardTo, Clock clock) {
    this.clock = clock;
    this.tenantId = TestTenants.create(tx);
    this.store = new MailStore(tx, clock);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    this.domain = "hospital-" + suffix + ".test";
    this.tenant = new TenantMail(tenantId, new MailAddress("support-" + suffix + "@desk.test", "Поддержка Desk"),
        Language.RU, LocalizedText.of("Служба поддержки Desk", "Desk support"), "#0a5fa3", "TST",
        ZoneId.of("Europe/Moscow"), new EmailIntake(action, Optional.ofNullable(forwardTo)), Map.of());
    this.organisation = new OrganisationStore(tx).create(tenantId, new OrganisationStore.OrganisationDetails(
        "ГБУЗ «Больница» " + suffix, List.of(domain), null, null, null, null)).await();
    this.customer = new UserStore(tx).create(tenantId, new UserStore.NewUser("anna@" + domain, "Анна Петрова",
        "ru", null, Role.CUSTOMER, organisation.id())).await();
    this.agent = new UserStore(tx).create(tenantId, new UserStore.NewUser("ivan-" + suffix + "@desk.test", "Иван",
        "ru", null, Role.AGENT, null)).await();
  }

  /** ИМЦ's rule: mail from people not registered is forwarded to the organisation. */
  static MailDesk forwarding(Clock clock) {
    return new MailDesk(UnregisteredSenderAction.FORWARD, ForwardTarget.ORGANISATION_EMAIL, clock);
  }

  static MailDesk bouncing(Clock clock) {
    return new MailDesk(UnregisteredSenderAction.BOUNCE, null, clock);
  }

  static MailDesk registering(Clock clock) {
    return new MailDesk(UnregisteredSenderAction.REGISTER, null, clock);
  }

  MailIntake intake(Vertx vertx) {
    return new MailIntake(vertx, store, id -> id.equals(tenantId) ? Optional.of(tenant) : Optional.empty(), clock);
  }

  Optional<TenantMail> tenantMail(String id) {
    return id.equals(tenantId) ? Optional.of(tenant) : Optional.empty();
  }

  TicketStore tickets() {
    return new TicketStore(tx, clock);
  }

  TicketStore.Caller staff() {
    return new TicketStore.Caller(agent.id(), Role.AGENT, null);
  }

  /** The registered customer, acting in their organisation. */
  TicketStore.Caller requester() {
    return new TicketStore.Caller(customer.id(), Role.CUSTOMER, organisation.id());
  }

  /** A dispatcher of this tenant's mail outbox that polls without pause, sending through {@code sender}. */
  MailDispatcherVerticle dispatcher(java.util.function.Function<Vertx, SmtpSender> sender) {
    return new MailDispatcherVerticle(store, () -> List.of(tenantId), this::tenantMail, sender,
        MailDispatcherVerticle.Options.DEFAULTS.withInterval(java.time.Duration.ZERO));
  }

  /** Every request of the tenant, oldest first (read past row-level security, then by number). */
  List<Ticket> allTickets() {
    List<String> numbers = new java.util.ArrayList<>();
    try (java.sql.Connection c = TestDatabase.superuserConnection();
        java.sql.PreparedStatement s = c.prepareStatement(
            "SELECT number FROM ticket WHERE tenant_id = ? ORDER BY created_at, number")) {
      s.setString(1, tenantId);
      try (java.sql.ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          numbers.add(rs.getString(1));
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return numbers.stream().map(n -> tickets().find(tenantId, staff(), n).await().orElseThrow()).toList();
  }

  List<TicketStore.Comment> comments(String number) {
    return tickets().comments(tenantId, staff(), number).await();
  }

  List<MailStore.InboundSummary> inbound() {
    return store.listInbound(tenantId, null, 0, 200).await().items();
  }

  List<JsonObject> outbox() {
    return store.listOutbox(tenantId).await();
  }

  /** A request filed on the portal by the customer (as TicketHandler does). */
  Ticket portalRequest(String subject) {
    return tickets().create(tenantId, new TicketStore.Caller(customer.id(), Role.CUSTOMER, organisation.id()),
        new TicketStore.NewTicket("TST", ZoneId.of("Europe/Moscow"), "portal", null, null, null, null, null,
            subject, "Описание: " + subject, null, organisation.id(), customer.id(), null, null, null)).await().value();
  }
}
