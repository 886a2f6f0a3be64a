package dev.otklik.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A failure a client can act on: an HTTP status, a stable machine-readable code (the key of the
 * localised message, e.g. {@code tenant.not-found}) and arguments for that message. Thrown
 * anywhere; mapped to an RFC 9457 problem body once, by the HTTP failure handler.
 */
public class OtklikException extends RuntimeException {

  private final int status;
  private final String code;
  private final List<Object> args;

  public OtklikException(int status, String code, Object... args) {
    this(status, code, null, args);
  }

  public OtklikException(int status, String code, Throwable cause, Object... args) {
    super(code + (args.length == 0 ? "" : " " + Arrays.toString(args)), cause, false, false);
    this.status = status;
    this.code = code;
    this.args = Collections.unmodifiableList(Arrays.asList(args.clone()));
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<Object> args() {
    return args;
  }

  public static OtklikException notFound(String code, Object... args) {
    return new OtklikException(404, code, args);
  }

  public static OtklikException badRequest(String code, Object... args) {
    return new OtklikException(400, code, args);
  }

  public static OtklikException forbidden(String code, Object... args) {
    return new OtklikException(403, code, args);
  }
}
