package dev.otklik.core.time;

/** What a production calendar means for a year it has no data for. */
public enum CalendarFallback {
  /** Only the tenant's weekly hours apply: no holidays, no transferred days. */
  WEEKENDS_ONLY
}
