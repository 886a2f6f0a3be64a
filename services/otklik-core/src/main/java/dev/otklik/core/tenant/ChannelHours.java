package dev.otklik.core.tenant;

/** When a contact channel is staffed: the tenant's business hours or around the clock. */
public enum ChannelHours {
  BUSINESS,
  ALWAYS
}
