package dev.otklik.realtime;

/** WebSocket close codes the gateway uses (4000-4999 is the range RFC 6455 leaves to applications). */
public final class StreamCloseCodes {

  /** The access token expired; reconnect with a fresh token and the last sequence. */
  public static final short TOKEN_EXPIRED = 4001;
  /** No pong (nor any frame) within the idle timeout. */
  public static final short IDLE = 4002;
  /** The tenant was disabled or removed from the configuration. */
  public static final short TENANT_UNAVAILABLE = 4003;
  /** The session was ended (sign-out, password change, revoked): sign in again, do not just reconnect. */
  public static final short SESSION_REVOKED = 4004;
  /** The client did not read fast enough: its send queue stayed full. */
  public static final short SLOW_CONSUMER = 4008;
  /** The server is shutting down; reconnect (to another node) with the last sequence. */
  public static final short GOING_AWAY = 1001;

  private StreamCloseCodes() {}
}
