package dev.otklik.core.tenant;

/** What happens to mail from a sender who is not a registered user. */
public enum UnregisteredSenderAction {
  REGISTER,
  FORWARD,
  BOUNCE
}
