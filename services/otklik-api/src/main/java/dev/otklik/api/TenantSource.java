package dev.otklik.api;

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

  /** The tenant's logo file, if its branding names one that exists. */
  Optional<Path> logo(String tenantId);

  /** True once the initial load succeeded. */
  boolean loaded();

  /** Re-reads the tenant directory now; the report lists added, changed, removed and refused. */
  Future<JsonObject> reload();
}
