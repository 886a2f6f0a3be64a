package dev.otklik.tenant;

import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.Audience;
import dev.otklik.core.tenant.OidcProvider;
import dev.otklik.core.tenant.SignIn;
import dev.otklik.core.tenant.TenantConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sign-in and survey settings: provider ids unique, secrets named by environment variables,
 * issuer URLs that ID tokens can be matched against, and roles that fit the provider's
 * audience (a customers-only provider never makes an agent). Plain http is accepted only for a
 * loopback issuer, for development against a local provider.
 */
final class SignInCheck implements TenantCheck {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  @Override
  public void check(TenantConfig config, Context context) {
    SignIn signIn = config.signIn();
    Map<String, String> seen = new HashMap<>();
    for (Located<OidcProvider> located : Located.each(signIn.oidc(), "/sign-in/oidc")) {
      OidcProvider p = located.value();
      String at = located.pointer();
      String first = seen.putIfAbsent(p.id(), at);
      if (first != null) {
        context.problem(at + "/id", "duplicate provider id \"" + p.id() + "\" (first at " + first + ")");
      }
      if (p.audiences().isEmpty()) {
        context.problem(at + "/for", "name whom the provider signs in: staff, customers or both");
      }
      url(p.issuer(), at + "/issuer", context);
      p.jwksUri().ifPresent(uri -> url(uri, at + "/jwks-uri", context));
      if (!ENV_NAME.matcher(p.clientSecretEnv()).matches()) {
        context.problem(at + "/client-secret-env", "\"" + p.clientSecretEnv()
            + "\" is not an environment variable name (A-Z, 0-9 and _, starting with a letter)");
      }
      if (!p.scopes().contains("openid")) {
        context.problem(at + "/scopes", "the scopes must include openid");
      }
      if (!p.roles().isEmpty() && p.roleClaim().isEmpty()) {
        context.problem(at + "/roles", "roles map values of a claim: set role-claim too");
      }
      p.roles().forEach((value, role) -> role(p, role, at + "/roles/" + value, context));
      p.defaultRole().ifPresent(role -> role(p, role, at + "/default-role", context));
      if (p.roles().isEmpty() && p.defaultRole().isEmpty()) {
        context.problem(at, "nobody could sign in: give roles or a default-role");
      }
      if (p.organisationClaim().isPresent() && !p.signsIn(Audience.CUSTOMERS)) {
        context.problem(at + "/organisation-claim", "only customers belong to organisations; this provider signs in staff only");
      }
    }
    boolean staffSso = signIn.oidc().stream().anyMatch(p -> p.signsIn(Audience.STAFF));
    if (!signIn.password().contains(Audience.STAFF) && !staffSso) {
      context.problem("/sign-in/password", "staff could not sign in at all: allow passwords for staff or add an OIDC provider for them");
    }
    config.satisfaction().ifPresent(s -> {
      long days = s.linkValidity().toDays();
      if (days < 1 || days > 365) {
        context.problem("/satisfaction/link-valid-days", days + " is out of range: 1 to 365 days");
      }
    });
  }

  private static void role(OidcProvider p, Role role, String pointer, Context context) {
    Audience audience = Audience.of(role);
    if (!p.signsIn(audience)) {
      context.problem(pointer, "role " + role.code().replace('_', '-') + " is for "
          + audience.name().toLowerCase(Locale.ROOT) + ", but the provider signs in "
          + p.audiences().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).sorted().toList());
    }
  }

  private static void url(String url, String pointer, Context context) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean loopback = uri.getHost() != null && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
      if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
          || !(scheme.equals("https") || scheme.equals("http") && loopback)) {
        context.problem(pointer, "\"" + url + "\" is not an absolute https URL without user info or query"
            + " (http only for a loopback host)");
      }
    } catch (URISyntaxException e) {
      context.problem(pointer, "\"" + url + "\" is not a URL");
    }
  }
}
