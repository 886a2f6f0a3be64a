package dev.otklik.tenant;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the real tenant-config/ is: set by surefire, or found from the module folder. */
final class TestConfigDirectory {

  static Path real() {
    Path dir = Path.of(System.getProperty("otklik.tenantConfigDir", "../../tenant-config"));
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no tenant-config directory at " + dir.toAbsolutePath());
    }
    return dir;
  }

  private TestConfigDirectory() {}
}
