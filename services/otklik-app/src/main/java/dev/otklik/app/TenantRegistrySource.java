package dev.otklik.app;

import dev.otklik.api.TenantSource;
import dev.otklik.core.EventBusAddresses;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.BusinessCalendar;
import dev.otklik.store.TenantStore;
import dev.otklik.tenant.ReloadReport;
import dev.otklik.tenant.TenantRegistry;
import dev.otklik.tenant.Versioned;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant registry as the API sees it, plus one duty: every config version that comes into
 * force is recorded in PostgreSQL (so a request can later name the SLA version it got).
 */
final class TenantRegistrySource implements TenantSource {

  private static final Logger LOG = LoggerFactory.getLogger(TenantRegistrySource.class);

  private final TenantRegistry registry;
  private final Path configDir;
  private final TenantStore store;
  private volatile boolean loaded;
  private volatile Function<String, Future<?>> onConfigChanged = id -> Future.succeededFuture();

  private TenantRegistrySource(TenantRegistry registry, Path configDir, TenantStore store) {
    this.registry = registry;
    this.configDir = configDir;
    this.store = store;
  }

  static TenantRegistrySource create(Vertx vertx, Path configDir, TenantStore store) {
    TenantRegistrySource source = new TenantRegistrySource(new TenantRegistry(vertx, configDir), configDir, store);
    // Local: each node records what its own registry loaded; recording is idempotent anyway.
    vertx.eventBus().<JsonObject>localConsumer(EventBusAddresses.TENANTS_RELOADED, message -> {
      List<String> changed = new ArrayList<>();
      message.body().getJsonArray("added", new JsonArray()).forEach(id -> changed.add((String) id));
      message.body().getJsonArray("changed", new JsonArray()).forEach(id -> changed.add((String) id));
      List<String> versionChanged = new ArrayList<>();
      message.body().getJsonArray("changed", new JsonArray()).forEach(id -> versionChanged.add((String) id));
      source.record(changed).onFailure(e -> LOG.error("Could not record tenant config versions {}: {}",
          changed, e.getMessage(), e))
          .onSuccess(v -> versionChanged.forEach(id -> source.onConfigChanged.apply(id).onFailure(e -> LOG.error(
              "Could not act on the new config of tenant {}: {}", id, e.getMessage(), e))));
      message.body().getJsonArray("removed", new JsonArray()).forEach(id -> source.store.disable((String) id)
          .onFailure(e -> LOG.error("Could not mark removed tenant {} disabled: {}", id, e.getMessage(), e)));
    });
    return source;
  }

  /**
   * What to do once a changed tenant's new config version is recorded (on this node's reload),
   * e.g. recalculating its open deadlines ({@link SlaRecalculation}).
   */
  void onConfigChanged(Function<String, Future<?>> action) {
    this.onConfigChanged = java.util.Objects.requireNonNull(action, "action");
  }

  /** Loads every file or fails with every problem found; then records the versions. */
  Future<Void> loadInitial() {
    return registry.loadInitial()
        .compose(snapshot -> record(List.copyOf(snapshot.tenants().keySet())))
        .onSuccess(v -> loaded = true);
  }

  void startWatching(Duration interval) {
    registry.startWatching(interval);
  }

  /** Stops watching and releases the registry's loading thread. */
  Future<Void> close() {
    return registry.close();
  }

  private Future<Void> record(List<String> tenantIds) {
    List<Future<?>> writes = new ArrayList<>();
    for (String id : tenantIds) {
      Versioned<TenantConfig> v = registry.snapshot().tenants().get(id);
      if (v != null) {
        writes.add(store.recordConfig(id, v.value().requestNumberPrefix(), v.value().enabled(),
            v.version(), v.value().sla().version(), v.source()));
      }
    }
    return Future.all(writes).mapEmpty();
  }

  @Override
  public List<JsonObject> configs() {
    return registry.snapshot().tenants().values().stream().map(Versioned::source).toList();
  }

  @Override
  public Optional<JsonObject> config(String tenantId) {
    return Optional.ofNullable(registry.snapshot().tenants().get(tenantId)).map(Versioned::source);
  }

  @Override
  public Optional<TenantConfig> tenant(String tenantId) {
    return registry.get(tenantId);
  }

  /** A tenant's calendar, cached per tenant version (which changes with its file or its production calendar). */
  private record CachedCalendar(String version, BusinessCalendar calendar) {}

  private final Map<String, CachedCalendar> calendars = new ConcurrentHashMap<>();

  @Override
  public Optional<BusinessCalendar> calendar(String tenantId) {
    var snapshot = registry.snapshot();
    Versioned<TenantConfig> v = snapshot.tenants().get(tenantId);
    if (v == null) {
      calendars.remove(tenantId);
      return Optional.empty();
    }
    CachedCalendar cached = calendars.get(tenantId);
    if (cached != null && cached.version().equals(v.version())) {
      return Optional.of(cached.calendar());
    }
    BusinessCalendar built = snapshot.businessCalendar(tenantId).orElseThrow();
    calendars.put(tenantId, new CachedCalendar(v.version(), built));
    return Optional.of(built);
  }

  @Override
  public Optional<Path> logo(String tenantId) {
    return registry.get(tenantId)
        .flatMap(c -> c.branding().logo())
        .map(configDir::resolve);
  }

  @Override
  public boolean loaded() {
    return loaded;
  }

  @Override
  public Future<JsonObject> reload() {
    return registry.reload().map(ReloadReport::toJson);
  }
}
