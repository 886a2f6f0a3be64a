package dev.otklik.core.tenant;

/** Where mail from an unregistered sender is forwarded. */
public enum ForwardTarget {
  ORGANISATION_EMAIL,
  TENANT_ADDRESS
}
