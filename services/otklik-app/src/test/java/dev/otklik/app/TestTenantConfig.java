package dev.otklik.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The real tenant-config/ of the repository, and throw-away copies of it tests may change. */
final class TestTenantConfig {

  private TestTenantConfig() {}

  static Path repositoryDir() {
    String configured = System.getProperty("otklik.tenantConfigDir");
    Path dir = configured != null ? Path.of(configured) : Path.of("../../tenant-config");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("tenant-config not found at " + dir.toAbsolutePath());
    }
    return dir;
  }

  static Path copyTo(Path target) {
    Path source = repositoryDir();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path dest = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
