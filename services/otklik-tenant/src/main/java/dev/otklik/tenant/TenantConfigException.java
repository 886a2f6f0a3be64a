package dev.otklik.tenant;

import java.util.Objects;

/**
 * One problem in one configuration file: the file (relative to tenant-config/), the JSON pointer
 * of the offending value inside it, and what is wrong. It is a value more than an event, so it
 * carries no stack trace.
 */
public final class TenantConfigException extends RuntimeException {

  private final String file;
  private final String path;
  private final String reason;

  /**
   * @param path a JSON pointer ({@code /sla/cells/3/targets/0/duration}); {@code ""} is the whole file
   */
  public TenantConfigException(String file, String path, String reason) {
    super(file + ": " + (path.isEmpty() ? "/" : path) + ": " + reason, null, false, false);
    this.file = Objects.requireNonNull(file, "file");
    this.path = Objects.requireNonNull(path, "path");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The file, relative to the configuration directory ({@code calendars/ru.yaml}). */
  public String file() {
    return file;
  }

  /** The JSON pointer of the offending value; {@code ""} when the problem is the whole file. */
  public String path() {
    return path;
  }

  /** What is wrong, for a person. */
  public String reason() {
    return reason;
  }
}
