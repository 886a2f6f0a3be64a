package dev.otklik.store;

import static dev.otklik.store.TestFutures.problemOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.store.OrganisationStore.OrganisationDetails;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrganisationStoreTest {

  private static final TenantTransactions tx = TestDatabase.transactions();

  private static OrganisationStore store;

  @BeforeAll
  static void start() {
    store = new OrganisationStore(tx);
  }

  private static OrganisationDetails acme(String... domains) {
    return new OrganisationDetails("ООО «Акме»", List.of(domains), "Д-17/2025",
        LocalDate.of(2025, 3, 1), LocalDate.of(2026, 3, 1), LocalDate.of(2027, 3, 1));
  }

  @Test
  @DisplayName("a new organisation lands in PostgreSQL with its contract dates and its domains in lower case")
  void organisationLandsWithDomains() throws Exception {
    String tenant = TestTenants.create(tx);
    Organisation created = store.create(tenant, acme("Acme.RU", "@acme.com")).await();

    assertThat(created.emailDomains()).containsExactly("acme.com", "acme.ru");
    assertThat(created.version()).isEqualTo(1);
    assertThat(store.findById(tenant, created.id()).await()).contains(created);
    assertThat(store.findByEmailDomain(tenant, "ACME.ru").await()).contains(created);
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement q = c.prepareStatement(
            "SELECT o.tenant_id, o.name, o.warranty_until, array_agg(d.domain ORDER BY d.domain)::text "
                + "FROM organisation o JOIN organisation_email_domain d ON d.organisation_id = o.id "
                + "WHERE o.id = ? GROUP BY o.id")) {
      q.setObject(1, created.id());
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(tenant);
        assertThat(rs.getString(2)).isEqualTo("ООО «Акме»");
        assertThat(rs.getObject(3, LocalDate.class)).isEqualTo(LocalDate.of(2027, 3, 1));
        assertThat(rs.getString(4)).isEqualTo("{acme.com,acme.ru}");
      }
    }
  }

  @Test
  @DisplayName("another tenant finds the organisation neither by id nor by its mail domain")
  void anotherTenantSeesNothing() {
    String a = TestTenants.create(tx);
    String b = TestTenants.create(tx);
    Organisation created = store.create(a, acme("hidden.example")).await();

    assertThat(store.findById(b, created.id()).await()).isEmpty();
    assertThat(store.findByEmailDomain(b, "hidden.example").await()).isEmpty();
  }

  @Test
  @DisplayName("a mail domain belongs to one organisation per tenant, and another tenant may use it too")
  void domainIsUniquePerTenant() throws Exception {
    String a = TestTenants.create(tx);
    String b = TestTenants.create(tx);
    Organisation first = store.create(a, acme("shared.example")).await();

    var problem = problemOf(store.create(a, acme("other.example", "SHARED.example")));
    Organisation inB = store.create(b, acme("shared.example")).await();

    assertThat(problem.status()).isEqualTo(409);
    assertThat(problem.code()).isEqualTo("organisation.email-domain-taken");
    assertThat(store.findByEmailDomain(a, "shared.example").await()).contains(first);
    assertThat(store.findByEmailDomain(b, "shared.example").await()).contains(inB);
    assertThat(organisationNames(a)).as("the refused organisation was rolled back").containsExactly("ООО «Акме»");
  }

  @Test
  @DisplayName("a malformed mail domain is a 400 problem naming it")
  void malformedDomainIsRefused() {
    String tenant = TestTenants.create(tx);
    var problem = problemOf(store.create(tenant, acme("not a domain")));
    assertThat(problem.code()).isEqualTo("organisation.email-domain-invalid");
    assertThat(problem.args()).containsExactly("not a domain");
  }

  @Test
  @DisplayName("an update based on a stale version is refused with 409 and leaves the newer row alone")
  void staleUpdateIsRefused() {
    String tenant = TestTenants.create(tx);
    Organisation created = store.create(tenant, acme()).await();
    OrganisationDetails renamed = new OrganisationDetails("АО «Акме»", List.of(), "Д-18/2026",
        created.contractStart(), LocalDate.of(2026, 6, 1), created.warrantyUntil());

    int next = store.updateDetails(tenant, created.id(), 1, renamed).await();
    var conflict = problemOf(store.updateDetails(tenant, created.id(), 1, acme()));
    var missing = problemOf(store.updateDetails(tenant, UUID.randomUUID(), 1, acme()));

    assertThat(next).isEqualTo(2);
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.code()).isEqualTo("organisation.version-conflict");
    assertThat(missing.status()).isEqualTo(404);
    Organisation stored = store.findById(tenant, created.id()).await().orElseThrow();
    assertThat(stored.name()).isEqualTo("АО «Акме»");
    assertThat(stored.freeSupportUntil()).isEqualTo(LocalDate.of(2026, 6, 1));
    assertThat(stored.version()).isEqualTo(2);
  }

  private static List<String> organisationNames(String tenant) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement q = c.prepareStatement("SELECT name FROM organisation WHERE tenant_id = ?")) {
      q.setString(1, tenant);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }
}
