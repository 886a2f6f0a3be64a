package dev.otklik.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.ProductionCalendar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Loads one tenant or calendar file through the three checks of tenant-config/README.md, in
 * order: the JSON Schema, strict binding to the records, then the semantic checks. Each stage
 * runs only on a file that passed the one before, and reports everything it finds.
 *
 * <p>Blocking (file I/O and parsing): call it from a worker thread, never an event loop. The
 * registry uses one instance from its single loading thread.
 */
public final class TenantConfigLoader {

  private final Path configRoot;
  private final ConfigTreeReader reader = new ConfigTreeReader();
  private final SchemaCheck tenantSchema = SchemaCheck.bundled(SchemaCheck.TENANT_SCHEMA);
  private final SchemaCheck calendarSchema = SchemaCheck.bundled(SchemaCheck.CALENDAR_SCHEMA);

  /**
   * @param configRoot the tenant-config directory: file names in problems and references such as
   *     {@code logos/asmo.svg} are relative to it
   */
  public TenantConfigLoader(Path configRoot) {
    this.configRoot = configRoot.toAbsolutePath().normalize();
  }

  /**
   * Loads {@code calendars/<id>.yaml}.
   *
   * @throws TenantConfigRejectedException with every problem of the file
   */
  public ProductionCalendar loadCalendar(Path file) {
    return loadCalendar(read(file));
  }

  /**
   * Loads {@code <id>.yaml}, resolving its production calendar among {@code calendars}.
   *
   * @param calendars the loaded production calendars by id
   * @throws TenantConfigRejectedException with every problem of the file
   */
  public TenantConfig loadTenant(Path file, Map<String, ProductionCalendar> calendars) {
    return loadTenant(read(file), calendars);
  }

  ProductionCalendar loadCalendar(ConfigFile file) {
    Problems problems = new Problems(file.name());
    Optional<ProductionCalendar> calendar = reader.read(file, problems)
        .filter(tree -> calendarSchema.check(tree, problems))
        .flatMap(tree -> CalendarBinder.bind(tree, problems));
    calendar.ifPresent(c -> ReferenceCheck.idEqualsFileName(c.id(), file, problems));
    problems.throwIfAny();
    return calendar.orElseThrow();
  }

  TenantConfig loadTenant(ConfigFile file, Map<String, ProductionCalendar> calendars) {
    Problems problems = new Problems(file.name());
    Optional<TenantConfig> config = reader.read(file, problems)
        .filter(tree -> tenantSchema.check(tree, problems))
        .flatMap(tree -> TenantBinder.bind(tree, problems));
    config.ifPresent(c -> checkSemantics(c, file, calendars, problems));
    problems.throwIfAny();
    return config.orElseThrow();
  }

  /** Binds a tree without the schema: the binder's own strictness, on its own. */
  TenantConfig bindWithoutSchema(String fileName, JsonNode tree) {
    Problems problems = new Problems(fileName);
    Optional<TenantConfig> config = TenantBinder.bind(tree, problems);
    problems.throwIfAny();
    return config.orElseThrow();
  }

  private void checkSemantics(
      TenantConfig config, ConfigFile file, Map<String, ProductionCalendar> calendars, Problems problems) {
    TenantCheck.Context context = new TenantCheck.Context(file, configRoot, calendars, problems);
    TenantCheck.all().forEach(check -> check.check(config, context));
  }

  private ConfigFile read(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    String name = absolute.startsWith(configRoot)
        ? configRoot.relativize(absolute).toString().replace('\\', '/')
        : absolute.getFileName().toString();
    try {
      return new ConfigFile(name, Files.readAllBytes(absolute));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + absolute, e);
    }
  }
}
