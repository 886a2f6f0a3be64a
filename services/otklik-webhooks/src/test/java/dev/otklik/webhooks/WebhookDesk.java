package dev.otklik.webhooks;

import dev.otklik.core.auth.Role;
import dev.otklik.store.Organisation;
import dev.otklik.store.TenantTransactions;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.TestPeople;
import dev.otklik.store.TestTenants;
import dev.otklik.store.TicketStore;
import dev.otklik.store.UserAccount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** A tenant with a customer and an agent, and a ticket store writing real events (and so outbox rows). */
final class WebhookDesk {

  static final TenantTransactions tx = TestDatabase.transactions();

  final String tenantId;
  final TicketStore tickets;
  final TicketStore.Caller customer;
  final TicketStore.Caller agent;
  final Organisation org;

  WebhookDesk(Clock clock) {
    tenantId = TestTenants.create(tx);
    org = TestPeople.organisation(tx, tenantId);
    UserAccount c = TestPeople.user(tx, tenantId, Role.CUSTOMER, org.id());
    UserAccount a = TestPeople.user(tx, tenantId, Role.AGENT, null);
    TestPeople.user(tx, tenantId, Role.TENANT_ADMIN, null);
    customer = new TicketStore.Caller(c.id(), Role.CUSTOMER, org.id());
    agent = new TicketStore.Caller(a.id(), Role.AGENT, null);
    tickets = new TicketStore(tx, clock);
  }

  /** Files a request; returns its number. */
  String file(String subject) {
    return tickets.create(tenantId, customer, new TicketStore.NewTicket("TST", ZoneId.of("Europe/Moscow"), "portal",
        null, null, "high", null, null, subject, "details", null, org.id(), customer.userId(), null, null, null))
        .await().value().number();
  }

  void comment(String number, String body) {
    tickets.addComment(tenantId, agent, number, body, false).await();
  }

  /** Rows of a query as the superuser (past row-level security), first column as strings. */
  static List<String> column(String sql, Object... args) throws Exception {
    try (Connection c = TestDatabase.superuserConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }
}
