package dev.otklik.tenant;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a reload changed: tenant ids added, changed (new version) and removed, and the files
 * refused with their problems (a refused file keeps its tenant's last good version).
 */
public record ReloadReport(
    List<String> added, List<String> changed, List<String> removed, List<RefusedFile> refused) {

  public static final ReloadReport NOTHING = new ReloadReport(List.of(), List.of(), List.of(), List.of());

  public ReloadReport {
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
    refused = List.copyOf(refused);
  }

  /** A file that failed to load, with every problem found in it. */
  public record RefusedFile(String file, List<TenantConfigException> problems) {

    public RefusedFile {
      problems = List.copyOf(problems);
    }
  }

  /** True when no tenant changed and no file was refused. */
  public boolean isEmpty() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty() && refused.isEmpty();
  }

  /**
   * The body published on {@code otklik.tenants.reloaded}:
   * {@code {added:[id], changed:[id], removed:[id], refused:[{file, errors:[{path, reason}]}]}}.
   */
  public JsonObject toJson() {
    JsonArray refusedJson = new JsonArray();
    for (RefusedFile file : refused) {
      JsonArray errors = new JsonArray();
      file.problems().forEach(p -> errors.add(new JsonObject().put("path", p.path()).put("reason", p.reason())));
      refusedJson.add(new JsonObject().put("file", file.file()).put("errors", errors));
    }
    return new JsonObject()
        .put("added", new JsonArray(added))
        .put("changed", new JsonArray(changed))
        .put("removed", new JsonArray(removed))
        .put("refused", refusedJson);
  }
}
