package dev.otklik.core.tenant;

/** Whether a tenant's regulation sets SLA figures (a matrix) or none at all. */
public enum SlaPolicyKind {
  MATRIX,
  NONE
}
