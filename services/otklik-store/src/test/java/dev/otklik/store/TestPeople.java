package dev.otklik.store;

import dev.otklik.core.auth.Role;
import java.util.List;
import java.util.UUID;

/** Organisations and accounts for tests, with unique names so tests never collide. */
public final class TestPeople {

  private TestPeople() {}

  public static Organisation organisation(TenantTransactions tx, String tenantId) {
    return new OrganisationStore(tx).create(tenantId, new OrganisationStore.OrganisationDetails(
        "Org " + UUID.randomUUID(), List.of(), null, null, null, null)).await();
  }

  /** An account that cannot log in with a password; tests mint tokens for it directly. */
  public static UserAccount user(TenantTransactions tx, String tenantId, Role role, UUID organisationId) {
    String email = role.code() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    return new UserStore(tx).create(tenantId,
        new UserStore.NewUser(email, role.code(), "ru", null, role, organisationId)).await();
  }
}
