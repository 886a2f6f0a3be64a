package dev.otklik.store;

import dev.otklik.core.auth.Role;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A person who signs in to one tenant's desk.
 *
 * @param passwordHash   Argon2id PHC string, or null while the person has not set a password
 * @param organisationId  the primary customer organisation; always set for {@link Role#CUSTOMER}
 * @param organisationIds every organisation the person belongs to (V021 memberships), the primary
 *                        first; never empty when {@code organisationId} is set
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
    int version,
    List<UUID> organisationIds) {

  public UserAccount {
    List<UUID> all = new ArrayList<>();
    if (organisationId != null) {
      all.add(organisationId);
    }
    if (organisationIds != null) {
      organisationIds.stream().filter(o -> o != null && !all.contains(o)).forEach(all::add);
    }
    organisationIds = List.copyOf(all);
  }

  /** An account whose only organisation is its primary one (if any). */
  public UserAccount(UUID id, String tenantId, String email, String displayName, String locale, String passwordHash,
      Role role, UUID organisationId, boolean enabled, OffsetDateTime createdAt, int version) {
    this(id, tenantId, email, displayName, locale, passwordHash, role, organisationId, enabled, createdAt, version,
        null);
  }

  /** Leaves the hash out, so a logged account never leaks it. */
  @Override
  public String toString() {
    return "UserAccount[" + tenantId + "/" + id + " " + email + " " + role.code() + "]";
  }
}
