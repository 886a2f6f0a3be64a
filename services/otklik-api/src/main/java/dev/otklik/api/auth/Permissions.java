package dev.otklik.api.auth;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import java.util.Set;
import java.util.UUID;

/**
 * Who may do what within their tenant. The guard has already bound the caller to the path's
 * tenant; these checks decide by role and, for customers, by organisation. A customer asking
 * for something of another organisation gets the same 404 as for something that does not
 * exist, so ids of other organisations cannot be probed.
 */
public final class Permissions {

  /** Vendor-side roles: they see the whole tenant (API keys only ever have these). */
  public static final Set<Role> STAFF = Set.of(Role.AGENT, Role.COORDINATOR, Role.TENANT_ADMIN);

  private Permissions() {}

  /** 403 {@code auth.forbidden} unless the caller has one of {@code roles}. */
  public static void requireRole(AccessClaims caller, Role... roles) {
    for (Role role : roles) {
      if (caller.role() == role) {
        return;
      }
    }
    throw OtklikException.forbidden("auth.forbidden");
  }

  public static boolean isStaff(AccessClaims caller) {
    return STAFF.contains(caller.role());
  }

  /**
   * The organisation a caller is confined to: a customer's own, or null for staff, who see all
   * of the tenant.
   */
  public static UUID confinedTo(AccessClaims caller) {
    if (isStaff(caller)) {
      return null;
    }
    if (caller.organisationId() == null) {
      // a customer always has one; a token without it must not widen into "everything"
      throw OtklikException.forbidden("auth.forbidden");
    }
    return caller.organisationId();
  }

  /** True when the caller may see something that belongs to {@code organisationId} (null: vendor-side). */
  public static boolean maySeeOrganisation(AccessClaims caller, UUID organisationId) {
    UUID confined = confinedTo(caller);
    return confined == null || confined.equals(organisationId);
  }
}
