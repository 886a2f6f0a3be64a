package dev.otklik.store;

import dev.otklik.core.auth.Role;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A person who signs in to one tenant's desk.
 *
 * @param passwordHash   Argon2id PHC string, or null while the person has not set a password
 * @param organisationId the customer organisation; always set for {@link Role#CUSTOMER}
 */
public record UserAccount(
    UUID id,
    String tenantId,
    String email,
    String displayName,
    String locale,
    String passwordHash,
    Role role,
    UUID organisationId,
    boolean enabled,
    OffsetDateTime createdAt,
    int version) {

  /** Leaves the hash out, so a logged account never leaks it. */
  @Override
  public String toString() {
    return "UserAccount[" + tenantId + "/" + id + " " + email + " " + role.code() + "]";
  }
}
