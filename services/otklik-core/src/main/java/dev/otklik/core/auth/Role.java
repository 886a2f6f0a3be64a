package dev.otklik.core.auth;

import java.util.Locale;

/** What a person (or an API key) may do within one tenant. Stored and sent in tokens by {@link #code()}. */
public enum Role {
  /** Someone at a customer organisation: sees and raises their organisation's requests. */
  CUSTOMER,
  /** Vendor support staff: works requests. */
  AGENT,
  /** Vendor staff who assign and oversee agents' work. */
  COORDINATOR,
  /** Manages the tenant's people, organisations and keys. */
  TENANT_ADMIN;

  /** The lower-case name used in the database and in JWT claims, e.g. {@code tenant_admin}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role ofCode(String code) {
    for (Role role : values()) {
      if (role.code().equals(code)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role " + code);
  }
}
