package dev.otklik.core;

/** Every event-bus address the platform uses, in one place. */
public final class EventBusAddresses {

  /** Published after the tenant registry has (re)loaded; body names the tenants that changed. */
  public static final String TENANTS_RELOADED = "otklik.tenants.reloaded";

  /**
   * Published (cluster-wide) after sessions were revoked: {@code {tenantId, userId, sessionIds}}.
   * Every node then refuses their access tokens and closes their WebSockets.
   */
  public static final String SESSIONS_REVOKED = "otklik.sessions.revoked";

  /** Published after a ticket change commits; the database stays the source of truth. */
  public static String tenantEvents(String tenantId) {
    return "otklik.tenant." + tenantId + ".events";
  }

  private EventBusAddresses() {}
}
