package dev.otklik.app;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings for a whole node in a test JVM: the one place the common ones are spelled out. */
final class TestNodes {

  /**
   * A node on a free loopback port with one HTTP verticle, its embedded PostgreSQL under
   * {@code work/data}, a copy of the repository's tenant config under {@code work/tenant-config}
   * (no reload polling) and {@code adminToken}. Mutable: tests add or override what they need.
   */
  static Map<String, String> settings(Path work, String adminToken) {
    return settings(work, adminToken, TestTenantConfig.copyTo(work.resolve("tenant-config")));
  }

  /** As {@link #settings(Path, String)}, with a tenant-config directory the test prepared itself. */
  static Map<String, String> settings(Path work, String adminToken, Path tenantConfig) {
    Map<String, String> settings = new HashMap<>();
    settings.put("http.port", "0");
    settings.put("http.host", "127.0.0.1");
    settings.put("http.instances", "1");
    settings.put("data-dir", work.resolve("data").toString());
    settings.put("tenant-config", tenantConfig.toString());
    settings.put("tenant-reload-interval", "PT0S");
    settings.put("admin-token", adminToken);
    return settings;
  }

  private TestNodes() {}
}
