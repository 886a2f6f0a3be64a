package dev.otklik.core.tenant;

/** What a contact channel is for, as the regulation names it. */
public enum ChannelRole {
  MAIN,
  RESERVE,
  FIRST_LINE,
  HOTLINE,
  ROLE_ADDRESS
}
