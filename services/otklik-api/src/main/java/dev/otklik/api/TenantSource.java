package dev.otklik.api;

import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.BusinessCalendar;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the HTTP layer needs of the tenant registry. */
public interface TenantSource {

  /** Validated config trees (kebab-case keys, as in the files) of every loaded tenant. */
  List<JsonObject> configs();

  Optional<JsonObject> config(String tenantId);

  /** The typed config of a loaded tenant; empty where the source has none (test doubles). */
  default Optional<TenantConfig> tenant(String tenantId) {
    return Optional.empty();
  }

  /**
   * The tenant's business calendar (weekly hours with its production calendar), built once per
   * config version; empty where the source has none. Pure CPU to use: fine on an event loop.
   */
  default Optional<BusinessCalendar> calendar(String tenantId) {
    return Optional.empty();
  }

  /** The tenant's logo file, if its branding names one that exists. */
  Optional<Path> logo(String tenantId);

  /** True once the initial load succeeded. */
  boolean loaded();

  /** Re-reads the tenant directory now; the report lists added, changed, removed and refused. */
  Future<JsonObject> reload();
}
