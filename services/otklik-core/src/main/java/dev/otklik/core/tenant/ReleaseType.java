package dev.otklik.core.tenant;

/** Kinds of release in a tenant's release schedule. */
public enum ReleaseType {
  PLANNED,
  UNPLANNED
}
