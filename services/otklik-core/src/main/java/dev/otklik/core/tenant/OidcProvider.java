package dev.otklik.core.tenant;

import dev.otklik.core.auth.Role;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An OpenID Connect provider a tenant signs people in with ({@code sign-in.oidc[]}). The client
 * secret is never in the file: {@code clientSecretEnv} names the environment variable holding it.
 *
 * @param id                kebab id, unique in the tenant; part of the sign-in URLs
 * @param label             the button text in the portal
 * @param audiences         whom this provider signs in: staff, customers or both
 * @param issuer            the issuer URL; {@code iss} of every ID token must equal it, and the
 *                          discovery document is read from {@code <issuer>/.well-known/openid-configuration}
 * @param jwksUri           overrides the discovery document's {@code jwks_uri}
 * @param emailClaim        the claim holding the person's e-mail (matched to accounts, case-insensitive)
 * @param roleClaim         a claim (string or array of strings) whose values map to roles through {@code roles}
 * @param roles             claim value -> role; the highest-ranking match wins
 * @param defaultRole       the role when no claim value matches; empty: such people are refused
 * @param organisationClaim for customers: a claim naming the organisation (its id or contract
 *                          number); without it, or when it does not match, the e-mail's domain decides
 */
public record OidcProvider(
    String id,
    LocalizedText label,
    Set<Audience> audiences,
    String issuer,
    String clientId,
    String clientSecretEnv,
    List<String> scopes,
    Optional<String> jwksUri,
    String emailClaim,
    Optional<String> roleClaim,
    Map<String, Role> roles,
    Optional<Role> defaultRole,
    Optional<String> organisationClaim) {

  public OidcProvider {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    audiences = Set.copyOf(audiences);
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecretEnv, "clientSecretEnv");
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(jwksUri, "jwksUri");
    Objects.requireNonNull(emailClaim, "emailClaim");
    Objects.requireNonNull(roleClaim, "roleClaim");
    roles = ImmutableCopies.orderedMap(roles);
    Objects.requireNonNull(defaultRole, "defaultRole");
    Objects.requireNonNull(organisationClaim, "organisationClaim");
  }

  public boolean signsIn(Audience audience) {
    return audiences.contains(audience);
  }
}
