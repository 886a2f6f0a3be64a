package dev.otklik.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The bytes of one configuration file, read once so that what is hashed is what is parsed.
 *
 * @param name the path relative to the configuration directory, as problems name it
 *     ({@code asmo.yaml}, {@code calendars/ru.yaml})
 */
record ConfigFile(String name, byte[] content) {

  ConfigFile {
    Objects.requireNonNull(name, "name");
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** The file name without folder and extension: what the id inside must equal. */
  String baseName() {
    String fileName = name.substring(name.lastIndexOf('/') + 1);
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? fileName : fileName.substring(0, dot);
  }

  boolean isJson() {
    return name.endsWith(".json");
  }

  /** A short content hash: equal hashes mean equal files. */
  String version() {
    return hash(content);
  }

  /** The first 16 hex digits of the SHA-256 of {@code bytes}. */
  static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The hash of several versions combined, in the given order. */
  static String hash(String... versions) {
    return hash(String.join("\n", versions).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return name + " (" + content.length + " bytes)";
  }
}
