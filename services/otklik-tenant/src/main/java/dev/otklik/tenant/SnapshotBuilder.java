package dev.otklik.tenant;

import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.ProductionCalendar;
import dev.otklik.tenant.CrossTenantCheck.Clash;
import dev.otklik.tenant.ReloadReport.RefusedFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Works out the next snapshot from the previous one and a fresh read of the directory, with
 * the last-good rule: a file that fails keeps its tenant's (or calendar's) previous version, a
 * new file that fails is not added, a deleted file is removed. Pure and blocking.
 */
final class SnapshotBuilder {

  /** The next snapshot and what changed to get there. */
  record Result(TenantSnapshot snapshot, ReloadReport report) {}

  private final TenantConfigLoader loader;
  private final ConfigTreeReader sources = new ConfigTreeReader();

  SnapshotBuilder(TenantConfigLoader loader) {
    this.loader = loader;
  }

  Result build(TenantSnapshot previous, ConfigDirectory.Contents contents) {
    List<RefusedFile> refused = new ArrayList<>();
    Map<String, Versioned<ProductionCalendar>> calendars = loadCalendars(previous, contents, refused);
    Map<String, Versioned<TenantConfig>> tenants = loadTenants(previous, contents, calendars, refused);
    keepCalendarsStillReferenced(previous, tenants, calendars);
    TenantSnapshot next = new TenantSnapshot(byId(tenants.values(), v -> v.value().id()), calendars);
    return new Result(next, report(previous, next, refused));
  }

  private Map<String, Versioned<ProductionCalendar>> loadCalendars(
      TenantSnapshot previous, ConfigDirectory.Contents contents, List<RefusedFile> refused) {
    Map<String, Versioned<ProductionCalendar>> previousByFile = byFile(previous.calendars());
    Map<String, Versioned<ProductionCalendar>> calendars = new TreeMap<>();
    for (ConfigFile file : contents.calendars()) {
      try {
        ProductionCalendar calendar = loader.loadCalendar(file);
        Versioned<ProductionCalendar> other = calendars.get(calendar.id());
        if (other != null) {
          throw refusal(file, "/id", "calendar id " + calendar.id() + " is already defined by " + other.file());
        }
        calendars.put(calendar.id(), new Versioned<>(calendar, file.name(), file.version(), sources.source(file)));
      } catch (TenantConfigRejectedException e) {
        refused.add(new RefusedFile(file.name(), e.problems()));
        Versioned<ProductionCalendar> lastGood = previousByFile.get(file.name());
        if (lastGood != null) {
          calendars.putIfAbsent(lastGood.value().id(), lastGood);
        }
      }
    }
    return calendars;
  }

  private Map<String, Versioned<TenantConfig>> loadTenants(
      TenantSnapshot previous,
      ConfigDirectory.Contents contents,
      Map<String, Versioned<ProductionCalendar>> calendars,
      List<RefusedFile> refused) {
    Map<String, Versioned<TenantConfig>> previousByFile = byFile(previous.tenants());
    Map<String, ProductionCalendar> calendarValues = new TreeMap<>();
    calendars.forEach((id, calendar) -> calendarValues.put(id, calendar.value()));
    Map<String, Versioned<TenantConfig>> inForce = new TreeMap<>();
    Set<String> fresh = new TreeSet<>();
    for (ConfigFile file : contents.tenants()) {
      try {
        TenantConfig config = loader.loadTenant(file, calendarValues);
        Versioned<TenantConfig> loaded = new Versioned<>(config, file.name(), version(file, config, calendars), sources.source(file));
        inForce.put(file.name(), loaded);
        if (!loaded.equals(previousByFile.get(file.name()))) {
          fresh.add(file.name());
        }
      } catch (TenantConfigRejectedException e) {
        refused.add(new RefusedFile(file.name(), e.problems()));
        keepLastGood(previousByFile, file.name(), inForce);
      }
    }
    refuseClashingFiles(inForce, fresh, previousByFile, refused);
    return inForce;
  }

  // Only files that changed can have caused a clash: the previous snapshot had none. Refusing
  // one brings back its last good version, which may clash anew, so repeat until none does.
  private static void refuseClashingFiles(
      Map<String, Versioned<TenantConfig>> inForce,
      Set<String> fresh,
      Map<String, Versioned<TenantConfig>> previousByFile,
      List<RefusedFile> refused) {
    while (true) {
      Map<String, List<TenantConfigException>> blamed = new LinkedHashMap<>();
      for (Clash clash : CrossTenantCheck.clashes(inForce)) {
        if (fresh.contains(clash.file())) {
          blamed.computeIfAbsent(clash.file(), f -> new ArrayList<>())
              .add(new TenantConfigException(clash.file(), clash.path(), clash.reason()));
        }
      }
      if (blamed.isEmpty()) {
        return;
      }
      blamed.forEach((file, problems) -> {
        refused.add(new RefusedFile(file, problems));
        fresh.remove(file);
        inForce.remove(file);
        keepLastGood(previousByFile, file, inForce);
      });
    }
  }

  private static void keepLastGood(
      Map<String, Versioned<TenantConfig>> previousByFile, String file, Map<String, Versioned<TenantConfig>> inForce) {
    Versioned<TenantConfig> lastGood = previousByFile.get(file);
    if (lastGood != null) {
      inForce.put(file, lastGood);
    }
  }

  /** A tenant's version covers its file and the production calendar it uses. */
  private static String version(
      ConfigFile file, TenantConfig config, Map<String, Versioned<ProductionCalendar>> calendars) {
    String calendarVersion = config.calendar().productionCalendar()
        .map(calendars::get).map(Versioned::version).orElse("");
    return ConfigFile.hash(file.version(), calendarVersion);
  }

  // A tenant kept at its last good version may name a calendar whose file was since deleted or
  // broken; it keeps the calendar it was loaded with.
  private static void keepCalendarsStillReferenced(
      TenantSnapshot previous,
      Map<String, Versioned<TenantConfig>> tenants,
      Map<String, Versioned<ProductionCalendar>> calendars) {
    for (Versioned<TenantConfig> tenant : tenants.values()) {
      tenant.value().calendar().productionCalendar()
          .filter(id -> !calendars.containsKey(id))
          .flatMap(id -> Optional.ofNullable(previous.calendars().get(id)))
          .ifPresent(calendar -> calendars.put(calendar.value().id(), calendar));
    }
  }

  private static ReloadReport report(TenantSnapshot previous, TenantSnapshot next, List<RefusedFile> refused) {
    Set<String> before = previous.tenants().keySet();
    Set<String> after = next.tenants().keySet();
    return new ReloadReport(
        after.stream().filter(id -> !before.contains(id)).toList(),
        after.stream().filter(before::contains)
            .filter(id -> !Objects.equals(previous.version(id), next.version(id))).toList(),
        before.stream().filter(id -> !after.contains(id)).toList(),
        refused);
  }

  private static TenantConfigRejectedException refusal(ConfigFile file, String path, String reason) {
    return new TenantConfigRejectedException(List.of(new TenantConfigException(file.name(), path, reason)));
  }

  private static <T> Map<String, Versioned<T>> byFile(Map<String, Versioned<T>> byId) {
    return byId.values().stream().collect(Collectors.toMap(Versioned::file, Function.identity()));
  }

  private static <T> Map<String, Versioned<T>> byId(
      Collection<Versioned<T>> values, Function<Versioned<T>, String> id) {
    return values.stream().collect(Collectors.toMap(id, Function.identity(), (a, b) -> a, TreeMap::new));
  }
}
