package dev.otklik.core.tenant;

/**
 * Request attributes an SLA cell can match on. The ids ({@code "priority"}) are the keys of
 * {@link SlaCell#match()} and of the attribute map given to {@link SlaPolicy#cellFor}.
 */
public enum MatchAttribute {
  KIND,
  CATEGORY,
  PRIORITY,
  SEVERITY,
  /** A catalogue node id. */
  SERVICE
}
