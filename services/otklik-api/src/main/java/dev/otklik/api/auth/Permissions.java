package dev.otklik.api.auth;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import java.util.Set;
import java.util.UUID;

/**
 * Who may do what within their tenant. The guard has already bound the caller to the path's
 * tenant; these checks decide by role and, for customers, by organisations. A customer asking
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
   * The primary organisation of a confined caller: a customer's, or null for staff, who see all
   * of the tenant. What a customer may see is {@link #confinedToAll} (all their organisations).
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

  /**
   * Every organisation a caller is confined to (V021 memberships): a customer's, or null for
   * staff, who see all of the tenant. A customer token without organisations is refused (403),
   * never widened into "everything".
   */
  public static Set<UUID> confinedToAll(AccessClaims caller) {
    if (isStaff(caller)) {
      return null;
    }
    if (caller.organisationIds().isEmpty()) {
      throw OtklikException.forbidden("auth.forbidden");
    }
    return caller.organisationIds();
  }

  /** True when the caller may see something that belongs to {@code organisationId} (null: vendor-side). */
  public static boolean maySeeOrganisation(AccessClaims caller, UUID organisationId) {
    Set<UUID> confined = confinedToAll(caller);
    return confined == null || confined.contains(organisationId);
  }

  /** True when the caller may see something shared by any of {@code organisationIds} (a colleague). */
  public static boolean maySeeAnyOf(AccessClaims caller, java.util.Collection<UUID> organisationIds) {
    Set<UUID> confined = confinedToAll(caller);
    return confined == null || organisationIds.stream().anyMatch(confined::contains);
  }
}
