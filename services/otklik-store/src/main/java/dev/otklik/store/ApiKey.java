package dev.otklik.store;

import dev.otklik.core.auth.Role;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A key with which one of a vendor's own tools calls the API. Its secret is never stored;
 * {@code keyPrefix} is the secret's first characters, so people can tell keys apart.
 *
 * @param role      what the key may do; never {@link Role#CUSTOMER}
 * @param createdBy the user (or key) that made it, null for keys made before this was recorded
 * @param revokedAt when it stopped working, or null while it works
 */
public record ApiKey(
    UUID id,
    String tenantId,
    String name,
    String keyPrefix,
    Role role,
    UUID createdBy,
    OffsetDateTime createdAt,
    OffsetDateTime revokedAt) {

  public boolean live() {
    return revokedAt == null;
  }
}
