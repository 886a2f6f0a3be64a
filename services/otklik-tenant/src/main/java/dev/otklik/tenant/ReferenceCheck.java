package dev.otklik.tenant;

import dev.otklik.core.tenant.TenantConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

/** The id matches the file name, and the logo and production calendar a tenant names exist. */
final class ReferenceCheck implements TenantCheck {

  @Override
  public void check(TenantConfig config, Context context) {
    idEqualsFileName(config.id(), context.file(), context.problems());
    config.branding().logo().ifPresent(logo -> {
      Path file = context.configRoot().resolve(logo).normalize();
      if (!file.startsWith(context.configRoot().normalize()) || !Files.isRegularFile(file)) {
        context.problem("/branding/logo", "no file " + logo + " in the configuration directory");
      }
    });
    config.calendar().productionCalendar().ifPresent(calendar -> {
      if (!context.calendars().containsKey(calendar)) {
        context.problem("/calendar/production-calendar", "unknown production calendar \"" + calendar
            + "\"; loaded calendars: " + (context.calendars().isEmpty() ? "none"
                : String.join(", ", new TreeSet<>(context.calendars().keySet())))
            + " (files calendars/<id>.yaml)");
      }
    });
  }

  /** Tenants and calendars are found by file name, so the id inside must be the same. */
  static void idEqualsFileName(String id, ConfigFile file, Problems problems) {
    if (!id.equals(file.baseName())) {
      problems.add("/id", "\"" + id + "\" differs from the file name " + file.name()
          + "; the id must equal the file name");
    }
  }
}
