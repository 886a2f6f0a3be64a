package dev.otklik.tenant;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A loaded configuration value with where it came from and a version that changes whenever
 * anything it was loaded from changes.
 *
 * @param file the file, relative to the configuration directory
 * @param version a short content hash
 * @param source the validated file as JSON, keys as in the file; callers must not modify it
 */
public record Versioned<T>(T value, String file, String version, JsonObject source) {

  public Versioned {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(source, "source");
  }
}
