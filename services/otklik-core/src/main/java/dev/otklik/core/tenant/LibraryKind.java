package dev.otklik.core.tenant;

/** Kinds of library entry shown in the portal. */
public enum LibraryKind {
  MANUAL,
  NEWS,
  DOCUMENT
}
