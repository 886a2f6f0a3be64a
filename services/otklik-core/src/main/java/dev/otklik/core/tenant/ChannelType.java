package dev.otklik.core.tenant;

/** How customers reach the desk through a contact channel. */
public enum ChannelType {
  PHONE,
  EMAIL,
  PORTAL,
  HOTLINE,
  MESSENGER
}
