package dev.otklik.tenant;

import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.core.time.ProductionCalendar;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every tenant and production calendar in force at one moment; immutable, swapped as a whole on
 * reload so readers never see half a reload.
 *
 * @param tenants by tenant id, in id order
 * @param calendars by calendar id, in id order
 */
public record TenantSnapshot(
    Map<String, Versioned<TenantConfig>> tenants, Map<String, Versioned<ProductionCalendar>> calendars) {

  public static final TenantSnapshot EMPTY = new TenantSnapshot(Map.of(), Map.of());

  public TenantSnapshot {
    tenants = Collections.unmodifiableMap(new TreeMap<>(tenants));
    calendars = Collections.unmodifiableMap(new TreeMap<>(calendars));
  }

  public Optional<TenantConfig> tenant(String id) {
    return Optional.ofNullable(tenants.get(id)).map(Versioned::value);
  }

  /** The configurations by tenant id, in id order. */
  public Map<String, TenantConfig> configs() {
    return tenants.entrySet().stream().collect(Collectors.toMap(
        Map.Entry::getKey, entry -> entry.getValue().value(), (a, b) -> a, TreeMap::new));
  }

  /** The version of a tenant: it changes when its file or its production calendar changes. */
  public Optional<String> version(String tenantId) {
    return Optional.ofNullable(tenants.get(tenantId)).map(Versioned::version);
  }

  public Optional<ProductionCalendar> calendar(String id) {
    return Optional.ofNullable(calendars.get(id)).map(Versioned::value);
  }

  /**
   * A tenant's business calendar, built from its file and the production calendar it names (if
   * that is loaded); empty for an unknown tenant. Built anew at each call: callers cache it per
   * {@link #version(String)}.
   */
  public Optional<BusinessCalendar> businessCalendar(String tenantId) {
    return tenant(tenantId).map(config -> {
      Map<String, ProductionCalendar> production = new HashMap<>();
      config.calendar().productionCalendar().flatMap(this::calendar).ifPresent(c -> production.put(c.id(), c));
      return BusinessCalendar.forTenant(config, production);
    });
  }
}
