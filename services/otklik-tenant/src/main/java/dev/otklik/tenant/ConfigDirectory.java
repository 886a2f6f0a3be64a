package dev.otklik.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a tenant-config directory: tenant files at the top, production calendars in
 * {@code calendars/}. Other folders ({@code schema/}, {@code logos/}) and hidden files are not
 * configuration. Blocking.
 */
final class ConfigDirectory {

  static final String CALENDARS = "calendars";

  private final Path root;

  ConfigDirectory(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Reads every configuration file now. */
  Contents read() {
    if (!Files.isDirectory(root)) {
      throw new UncheckedIOException(new IOException("no configuration directory at " + root.toAbsolutePath()));
    }
    return new Contents(filesIn(root, ""), filesIn(root.resolve(CALENDARS), CALENDARS + "/"));
  }

  /**
   * The files of one read of the directory, each list in name order.
   *
   * @param tenants the tenant files
   * @param calendars the calendar files
   */
  record Contents(List<ConfigFile> tenants, List<ConfigFile> calendars) {

    /** Equal fingerprints mean nothing relevant changed between two reads. */
    String fingerprint() {
      List<String> parts = new ArrayList<>();
      Stream.concat(tenants.stream(), calendars.stream()).forEach(f -> parts.add(f.name() + "=" + f.version()));
      return ConfigFile.hash(parts.toArray(String[]::new));
    }
  }

  private static List<ConfigFile> filesIn(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> files = entries.filter(ConfigDirectory::isConfigFile).sorted(Comparator.comparing(Path::toString)).toList();
      List<ConfigFile> read = new ArrayList<>(files.size());
      for (Path file : files) {
        try {
          read.add(new ConfigFile(prefix + file.getFileName(), Files.readAllBytes(file)));
        } catch (NoSuchFileException deletedSinceListed) {
          // gone between listing and reading: the next read sees it as deleted
        }
      }
      return read;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isConfigFile(Path path) {
    String name = path.getFileName().toString();
    return !name.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))
        && Files.isRegularFile(path);
  }
}
