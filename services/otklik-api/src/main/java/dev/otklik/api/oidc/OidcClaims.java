package dev.otklik.api.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.Audience;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.OidcProvider;
import dev.otklik.store.ExternalIdentityStore.ExternalSignIn;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a valid ID token's claims into what provisioning needs, by the provider's config: the
 * e-mail ({@code email-claim}; used for matching only when {@code email_verified} is true), the
 * role ({@code role-claim} values through {@code roles}, the highest-ranking match winning, else
 * {@code default-role}; roles the provider may not give by its {@code for} are ignored), the
 * organisation reference ({@code organisation-claim}), a display name and a language. A claim
 * name with dots ({@code realm_access.roles}) is looked up as a path when no claim has that
 * exact name.
 */
final class OidcClaims {

  /** Ranks of roles, highest first: tenant_admin > coordinator > agent > customer. */
  static final List<Role> RANKING = List.of(Role.TENANT_ADMIN, Role.COORDINATOR, Role.AGENT, Role.CUSTOMER);
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

  private OidcClaims() {}

  static ExternalSignIn signIn(OidcProvider provider, JWTClaimsSet claims, Language tenantLanguage) {
    String email = email(claim(claims, provider.emailClaim()));
    Object verified = claims.getClaim("email_verified");
    boolean emailVerified = email != null && (Boolean.TRUE.equals(verified) || "true".equals(verified));
    String organisation = provider.organisationClaim().map(c -> claim(claims, c))
        .map(OidcClaims::scalar).orElse(null);
    return new ExternalSignIn(provider.id(), claims.getSubject(), email, emailVerified,
        displayName(claims, email), language(claims, tenantLanguage), role(provider, claims).orElse(null),
        organisation);
  }

  /** The role the claims give, if any the provider may give. */
  static Optional<Role> role(OidcProvider provider, JWTClaimsSet claims) {
    List<String> values = provider.roleClaim().map(c -> strings(claim(claims, c))).orElse(List.of());
    return RANKING.stream()
        .filter(role -> provider.signsIn(Audience.of(role)))
        .filter(role -> values.stream().anyMatch(v -> provider.roles().get(v) == role))
        .findFirst()
        .or(() -> provider.defaultRole().filter(role -> provider.signsIn(Audience.of(role))));
  }

  /** The RFC 8176 methods the provider reports ({@code amr}), plain tokens only. */
  static List<String> amr(JWTClaimsSet claims) {
    List<String> out = new ArrayList<>();
    for (String v : strings(claims.getClaim("amr"))) {
      if (v.matches("[A-Za-z0-9_-]{1,32}") && !out.contains(v) && out.size() < 8) {
        out.add(v);
      }
    }
    return out;
  }

  static Object claim(JWTClaimsSet claims, String name) {
    Object direct = claims.getClaim(name);
    if (direct != null || !name.contains(".")) {
      return direct;
    }
    Object at = claims.getClaims();
    for (String part : name.split("\\.")) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = map.get(part);
    }
    return at;
  }

  static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof String s) {
      out.add(s);
    } else if (value instanceof Collection<?> c) {
      c.forEach(v -> {
        if (v instanceof String s) {
          out.add(s);
        }
      });
    }
    return out;
  }

  private static String scalar(Object value) {
    if (value instanceof String s && !s.isBlank() && s.length() <= 200) {
      return s.strip();
    }
    if (value instanceof Number n) {
      return n.toString();
    }
    return null;
  }

  private static String email(Object value) {
    if (value instanceof String s) {
      String e = s.strip();
      if (e.length() <= 254 && EMAIL.matcher(e).matches()) {
        return e;
      }
    }
    return null;
  }

  private static String displayName(JWTClaimsSet claims, String email) {
    for (Object candidate : new Object[] {claims.getClaim("name"), joined(claims.getClaim("given_name"),
        claims.getClaim("family_name")), claims.getClaim("preferred_username")}) {
      if (candidate instanceof String s && !s.isBlank()) {
        return s.strip().length() > 200 ? s.strip().substring(0, 200) : s.strip();
      }
    }
    return email != null ? email.substring(0, email.indexOf('@')) : claims.getSubject();
  }

  private static String joined(Object given, Object family) {
    String g = given instanceof String s ? s.strip() : "";
    String f = family instanceof String s ? s.strip() : "";
    return (g + " " + f).strip();
  }

  private static String language(JWTClaimsSet claims, Language tenantLanguage) {
    Object locale = claims.getClaim("locale");
    if (locale instanceof String s && !s.isBlank()) {
      return s.toLowerCase(Locale.ROOT).startsWith("en") ? "en" : "ru";
    }
    return tenantLanguage == Language.EN ? "en" : "ru";
  }
}
