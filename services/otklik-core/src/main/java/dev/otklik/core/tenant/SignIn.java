package dev.otklik.core.tenant;

import dev.otklik.core.auth.Role;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How people of a tenant sign in ({@code sign-in:}). Absent from the file: passwords for
 * everyone, no required second factor, no single sign-on.
 *
 * @param password              who may sign in with a password; empty turns passwords off
 * @param twoFactorRequiredFor  roles that must use a TOTP second factor with a password
 * @param oidc                  OpenID Connect providers, in the order the portal shows them
 */
public record SignIn(Set<Audience> password, Set<Role> twoFactorRequiredFor, List<OidcProvider> oidc) {

  public static final SignIn DEFAULT = new SignIn(EnumSet.allOf(Audience.class), Set.of(), List.of());

  public SignIn {
    password = Set.copyOf(password);
    twoFactorRequiredFor = Set.copyOf(twoFactorRequiredFor);
    oidc = List.copyOf(oidc);
  }

  public boolean passwordAllowed(Role role) {
    return password.contains(Audience.of(role));
  }

  public boolean twoFactorRequired(Role role) {
    return twoFactorRequiredFor.contains(role);
  }

  public Optional<OidcProvider> provider(String id) {
    return oidc.stream().filter(p -> p.id().equals(id)).findFirst();
  }
}
