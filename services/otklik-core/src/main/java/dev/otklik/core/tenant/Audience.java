package dev.otklik.core.tenant;

import dev.otklik.core.auth.Role;

/** Who a sign-in method is for: the vendor's staff or the customers' people. */
public enum Audience {
  STAFF,
  CUSTOMERS;

  public static Audience of(Role role) {
    return role == Role.CUSTOMER ? CUSTOMERS : STAFF;
  }
}
