package dev.otklik.store;

import static dev.otklik.store.TestFutures.failureOf;
import static dev.otklik.store.TestFutures.problemOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.OrganisationStore.OrganisationDetails;
import dev.otklik.store.UserStore.NewUser;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UserStoreTest {

  private static final TenantTransactions tx = TestDatabase.transactions();

  private static UserStore users;
  private static OrganisationStore organisations;

  @BeforeAll
  static void start() {
    users = new UserStore(tx);
    organisations = new OrganisationStore(tx);
  }

  private static UUID organisationOf(String tenant) {
    return organisations.create(tenant, new OrganisationDetails("Клиент", List.of(), null, null, null, null))
        .await().id();
  }

  private static NewUser customer(String email, UUID organisationId) {
    return new NewUser(email, "Анна Петрова", "ru", "$argon2id$stored", Role.CUSTOMER, organisationId);
  }

  @Test
  @DisplayName("a new customer lands in PostgreSQL and is found by id and by e-mail in any letter case")
  void customerLandsAndIsFound() throws Exception {
    String tenant = TestTenants.create(tx);
    UUID org = organisationOf(tenant);
    UserAccount anna = users.create(tenant, customer(" Anna.Petrova@Client.ru ", org)).await();

    assertThat(anna.email()).isEqualTo("Anna.Petrova@Client.ru");
    assertThat(anna.role()).isEqualTo(Role.CUSTOMER);
    assertThat(anna.enabled()).isTrue();
    assertThat(users.findById(tenant, anna.id()).await()).contains(anna);
    assertThat(users.findByEmail(tenant, "anna.petrova@CLIENT.RU").await()).contains(anna);
    assertThat(users.findByEmail(tenant, "nobody@client.ru").await()).isEmpty();
    try (Connection c = TestDatabase.superuserConnection();
        PreparedStatement q = c.prepareStatement(
            "SELECT tenant_id, role, organisation_id, password_hash, locale FROM app_user WHERE id = ?")) {
      q.setObject(1, anna.id());
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(tenant);
        assertThat(rs.getString(2)).isEqualTo("customer");
        assertThat(rs.getObject(3, UUID.class)).isEqualTo(org);
        assertThat(rs.getString(4)).isEqualTo("$argon2id$stored");
        assertThat(rs.getString(5)).isEqualTo("ru");
      }
    }
  }

  @Test
  @DisplayName("an e-mail is unique within a tenant whatever its case, yet another tenant may have the same one")
  void emailIsUniquePerTenant() {
    String a = TestTenants.create(tx);
    String b = TestTenants.create(tx);
    users.create(a, new NewUser("agent@vendor.ru", "Агент", "ru", null, Role.AGENT, null)).await();

    var taken = problemOf(users.create(a, new NewUser("AGENT@vendor.RU", "Другой", "en", null, Role.COORDINATOR, null)));
    UserAccount inB = users.create(b, new NewUser("agent@vendor.ru", "Agent B", "en", null, Role.AGENT, null)).await();

    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.code()).isEqualTo("user.email-taken");
    assertThat(users.findByEmail(b, "agent@vendor.ru").await()).contains(inB);
    assertThat(users.findByEmail(a, "agent@vendor.ru").await().orElseThrow().displayName()).isEqualTo("Агент");
  }

  @Test
  @DisplayName("another tenant finds the user neither by id nor by e-mail")
  void anotherTenantSeesNothing() {
    String a = TestTenants.create(tx);
    String b = TestTenants.create(tx);
    UserAccount admin = users.create(a, new NewUser("admin@a.ru", "Админ", "ru", null, Role.TENANT_ADMIN, null)).await();

    assertThat(users.findById(b, admin.id()).await()).isEmpty();
    assertThat(users.findByEmail(b, "admin@a.ru").await()).isEmpty();
  }

  @Test
  @DisplayName("a customer needs an organisation: the store says so, and the table's check holds even for raw SQL")
  void customerNeedsOrganisation() {
    String tenant = TestTenants.create(tx);

    var problem = problemOf(users.create(tenant, customer("lost@client.ru", null)));
    Throwable raw = failureOf(tx.inTenant(tenant, conn -> conn.preparedQuery(
            "INSERT INTO app_user (tenant_id, email, display_name, role) VALUES ($1, 'raw@client.ru', 'Raw', 'customer')")
        .execute(Tuple.of(tenant))));

    assertThat(problem.code()).isEqualTo("user.organisation-required");
    assertThat(raw).hasMessageContaining("app_user_customer_has_organisation");
    assertThat(users.findByEmail(tenant, "raw@client.ru").await()).isEmpty();
  }

  @Test
  @DisplayName("a user cannot be attached to another tenant's organisation, though foreign keys ignore row-level security")
  void organisationMustBeTheTenants() {
    String a = TestTenants.create(tx);
    String b = TestTenants.create(tx);
    UUID orgOfB = organisationOf(b);

    var problem = problemOf(users.create(a, customer("spy@client.ru", orgOfB)));

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.code()).isEqualTo("user.organisation-unknown");
    assertThat(users.findByEmail(a, "spy@client.ru").await()).isEmpty();
  }

  @Test
  @DisplayName("replacing a password hash stores the new one and bumps the account's version")
  void passwordHashIsReplaced() {
    String tenant = TestTenants.create(tx);
    UserAccount agent = users.create(tenant, new NewUser("a@v.ru", "Агент", "ru", null, Role.AGENT, null)).await();

    assertThat(users.setPasswordHash(tenant, agent.id(), "$argon2id$new").await()).isTrue();
    assertThat(users.setPasswordHash(tenant, UUID.randomUUID(), "$argon2id$new").await()).isFalse();
    UserAccount stored = users.findById(tenant, agent.id()).await().orElseThrow();
    assertThat(stored.passwordHash()).isEqualTo("$argon2id$new");
    assertThat(stored.version()).isEqualTo(2);
  }
}
