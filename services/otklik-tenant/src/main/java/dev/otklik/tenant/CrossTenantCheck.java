package dev.otklik.tenant;

import dev.otklik.core.tenant.TenantConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What must be unique across tenants: the tenant id (one file per id), the request-number prefix
 * (request numbers must not collide) and portal host names (a host serves one tenant).
 */
final class CrossTenantCheck {

  /** A clash between two files; {@code path} and {@code reason} describe it from {@code file}'s side. */
  record Clash(String file, String otherFile, String path, String reason) {}

  /** Every clash among the tenants, keyed by file name; each clash is reported from both sides. */
  static List<Clash> clashes(Map<String, Versioned<TenantConfig>> tenantsByFile) {
    List<Clash> clashes = new ArrayList<>();
    Map<String, String> idOwners = new HashMap<>();
    Map<String, String> prefixOwners = new HashMap<>();
    Map<String, String> hostOwners = new HashMap<>();
    tenantsByFile.forEach((file, tenant) -> {
      TenantConfig config = tenant.value();
      claim(idOwners, config.id(), file, "/id", "tenant id " + config.id(), clashes);
      claim(prefixOwners, config.requestNumberPrefix(), file, "/request-number-prefix",
          "request-number-prefix " + config.requestNumberPrefix(), clashes);
      List<String> hosts = config.branding().hostNames();
      for (int i = 0; i < hosts.size(); i++) {
        claim(hostOwners, hosts.get(i).toLowerCase(Locale.ROOT), file, "/branding/host-names/" + i,
            "host name " + hosts.get(i), clashes);
      }
    });
    return clashes;
  }

  private static void claim(
      Map<String, String> owners, String key, String file, String path, String what, List<Clash> clashes) {
    String owner = owners.putIfAbsent(key, file);
    if (owner != null && !owner.equals(file)) {
      clashes.add(new Clash(file, owner, path, what + " is also used by " + owner));
      clashes.add(new Clash(owner, file, path, what + " is also used by " + file));
    }
  }

  private CrossTenantCheck() {}
}
