package dev.otklik.core.tenant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the tenant's portal looks and where it is served.
 *
 * @param primaryColor {@code #rrggbb}
 * @param accentColor {@code #rrggbb}
 * @param logo path relative to tenant-config/ ({@code logos/asmo.svg})
 * @param hostNames portal host names, unique across tenants
 */
public record Branding(
    String primaryColor, String accentColor, Optional<String> logo, List<String> hostNames) {

  public Branding {
    Objects.requireNonNull(primaryColor, "primaryColor");
    Objects.requireNonNull(accentColor, "accentColor");
    Objects.requireNonNull(logo, "logo");
    hostNames = List.copyOf(hostNames);
  }
}
