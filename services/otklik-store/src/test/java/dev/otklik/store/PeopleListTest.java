package dev.otklik.store;

import static dev.otklik.store.TestFutures.problemOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.auth.Role;
import dev.otklik.store.OrganisationStore.OrganisationDetails;
import dev.otklik.store.UserStore.NewUser;
import dev.otklik.store.UserStore.UserFilter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Paged, filtered and sorted lists of users and organisations. */
class PeopleListTest {

  private static final TenantTransactions tx = TestDatabase.transactions();
  private static final UserStore users = new UserStore(tx);
  private static final OrganisationStore organisations = new OrganisationStore(tx);

  private static Organisation organisation(String tenant, String name, String contract) {
    return organisations.create(tenant, new OrganisationDetails(name, List.of(), contract, null, null, null)).await();
  }

  private static UserAccount user(String tenant, String email, String name, Role role, UUID org) {
    return users.create(tenant, new NewUser(email, name, "ru", null, role, org)).await();
  }

  @Test
  @DisplayName("users are filtered by organisation, role, state and text, sorted either way, paged with a total, and never from another tenant")
  void usersAreFilteredSortedAndPaged() {
    String tenant = TestTenants.create(tx);
    String other = TestTenants.create(tx);
    Organisation alfa = organisation(tenant, "Альфа", null);
    Organisation beta = organisation(tenant, "Бета", null);
    UserAccount anna = user(tenant, "anna@alfa.ru", "Анна", Role.CUSTOMER, alfa.id());
    UserAccount boris = user(tenant, "boris@alfa.ru", "Борис", Role.CUSTOMER, alfa.id());
    user(tenant, "vera@beta.ru", "Вера", Role.CUSTOMER, beta.id());
    UserAccount agent = user(tenant, "agent@vendor.ru", "Агент", Role.AGENT, null);
    user(other, "anna@alfa.ru", "Анна", Role.AGENT, null);

    Page<UserAccount> colleagues = users.list(tenant, new UserFilter(null, alfa.id(), null),
        new ListQuery(0, 10, null, "-email")).await();
    assertThat(colleagues.items()).extracting(UserAccount::id).containsExactly(boris.id(), anna.id());
    assertThat(colleagues.total()).isEqualTo(2);

    assertThat(users.list(tenant, new UserFilter(Role.AGENT, null, null), new ListQuery(0, 10, null, null)).await()
        .items()).containsExactly(agent);
    assertThat(users.list(tenant, UserFilter.ANY, new ListQuery(0, 10, "БОР", null)).await().items())
        .containsExactly(boris);

    Page<UserAccount> second = users.list(tenant, UserFilter.ANY, new ListQuery(1, 2, null, "email")).await();
    assertThat(second.total()).isEqualTo(4);
    assertThat(second.items()).extracting(UserAccount::email).containsExactly("anna@alfa.ru", "boris@alfa.ru");
    assertThat(users.list(tenant, UserFilter.ANY, new ListQuery(40, 2, null, null)).await())
        .isEqualTo(new Page<UserAccount>(List.of(), 4));

    UserAccount disabled = users.setEnabled(tenant, anna.id(), false).await().orElseThrow();
    assertThat(disabled.enabled()).isFalse();
    assertThat(disabled.version()).isEqualTo(anna.version() + 1);
    assertThat(users.list(tenant, new UserFilter(null, null, false), new ListQuery(0, 10, null, null)).await().items())
        .extracting(UserAccount::id).containsExactly(anna.id());
    assertThat(users.setEnabled(other, anna.id(), true).await()).as("another tenant cannot touch her").isEmpty();
    assertThat(users.findById(tenant, anna.id()).await().orElseThrow().enabled()).isFalse();

    assertThat(problemOf(users.list(tenant, UserFilter.ANY, new ListQuery(0, 10, null, "password_hash"))).code())
        .isEqualTo("page.sort-invalid");
  }

  @Test
  @DisplayName("organisations are searched by name or contract number, sorted, paged, and narrowed to one for a customer")
  void organisationsAreSearchedAndNarrowed() {
    String tenant = TestTenants.create(tx);
    Organisation alfa = organisation(tenant, "Альфа", "D-002");
    Organisation beta = organisation(tenant, "Бета", "D-001");
    Organisation gamma = organisation(tenant, "Гамма", null);
    organisation(TestTenants.create(tx), "Альфа", "D-002");

    assertThat(organisations.list(tenant, null, new ListQuery(0, 10, null, null)).await().items())
        .extracting(Organisation::id).containsExactly(alfa.id(), beta.id(), gamma.id());
    assertThat(organisations.list(tenant, null, new ListQuery(0, 10, null, "-name")).await().items())
        .extracting(Organisation::id).containsExactly(gamma.id(), beta.id(), alfa.id());
    assertThat(organisations.list(tenant, null, new ListQuery(0, 10, "d-00", "contractNumber")).await().items())
        .extracting(Organisation::id).containsExactly(beta.id(), alfa.id());
    Page<Organisation> own = organisations.list(tenant, beta.id(), new ListQuery(0, 10, null, null)).await();
    assertThat(own).isEqualTo(new Page<>(List.of(beta), 1));
    assertThat(organisations.list(tenant, null, new ListQuery(2, 1, null, null)).await())
        .isEqualTo(new Page<>(List.of(gamma), 3));
  }

  @Test
  @DisplayName("an API key's service account is no person: it is left out of user lists and cannot sign in")
  void serviceAccountsAreNotListed() {
    String tenant = TestTenants.create(tx);
    UserAccount admin = user(tenant, "admin@vendor.ru", "Админ", Role.TENANT_ADMIN, null);
    var key = new ApiKeyStore(tx, java.time.Clock.systemUTC()).create(tenant, "CRM", Role.AGENT, admin.id()).await();

    assertThat(users.list(tenant, UserFilter.ANY, new ListQuery(0, 10, null, null)).await().items())
        .containsExactly(admin);
    UserAccount account = users.findById(tenant, key.key().id()).await().orElseThrow();
    assertThat(account.displayName()).isEqualTo("CRM");
    assertThat(account.passwordHash()).isNull();
  }
}
