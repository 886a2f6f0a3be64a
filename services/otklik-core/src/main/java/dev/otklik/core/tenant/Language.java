package dev.otklik.core.tenant;

/** A language the portal and notifications are offered in. */
public enum Language {
  RU,
  EN
}
