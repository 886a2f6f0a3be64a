package dev.otklik.api.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.Audience;
import dev.otklik.core.tenant.Language;
import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.OidcProvider;
import dev.otklik.store.ExternalIdentityStore.ExternalSignIn;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OidcClaimsTest {

  static OidcProvider provider(String roleClaim, Set<Audience> audiences, Optional<Role> defaultRole) {
    return new OidcProvider("kc", LocalizedText.ru("Вход"), audiences, "https://sso.example/realms/x", "otklik",
        "OTKLIK_KC", List.of("openid"), Optional.empty(), "email", Optional.of(roleClaim),
        Map.of("admins", Role.TENANT_ADMIN, "agents", Role.AGENT, "leads", Role.COORDINATOR, "clients", Role.CUSTOMER),
        defaultRole, Optional.of("org"));
  }

  @Test
  @DisplayName("the highest-ranking mapped role wins; a nested claim is read by its dotted path; a role outside the provider's audience counts as none")
  void roleMapping() {
    JWTClaimsSet keycloak = new JWTClaimsSet.Builder().subject("s")
        .claim("realm_access", Map.of("roles", List.of("clients", "agents", "leads", "offline_access"))).build();
    OidcProvider both = provider("realm_access.roles", EnumSet.allOf(Audience.class), Optional.empty());
    assertThat(OidcClaims.role(both, keycloak)).contains(Role.COORDINATOR);

    JWTClaimsSet single = new JWTClaimsSet.Builder().subject("s").claim("role", "clients").build();
    assertThat(OidcClaims.role(provider("role", EnumSet.allOf(Audience.class), Optional.empty()), single))
        .contains(Role.CUSTOMER);
    assertThat(OidcClaims.role(provider("role", EnumSet.of(Audience.STAFF), Optional.empty()), single)).isEmpty();
    assertThat(OidcClaims.role(provider("role", EnumSet.of(Audience.STAFF), Optional.of(Role.AGENT)), single))
        .as("no mapped staff role: the default").contains(Role.AGENT);
    assertThat(OidcClaims.role(provider("role", EnumSet.of(Audience.CUSTOMERS), Optional.of(Role.AGENT)),
        new JWTClaimsSet.Builder().subject("s").build())).as("a default outside the audience counts as none").isEmpty();
  }

  @Test
  @DisplayName("the e-mail is kept only when plausible and counts as verified only for email_verified true; names and languages have fallbacks")
  void personDetails() {
    OidcProvider p = provider("groups", EnumSet.allOf(Audience.class), Optional.of(Role.AGENT));
    ExternalSignIn a = OidcClaims.signIn(p, new JWTClaimsSet.Builder().subject("s1").claim("email", " Olga@Clinic.example ")
        .claim("email_verified", "true").claim("given_name", "Ольга").claim("family_name", "Петрова")
        .claim("locale", "en-GB").claim("org", 42).build(), Language.RU);
    assertThat(a.email()).isEqualTo("Olga@Clinic.example");
    assertThat(a.emailVerified()).isTrue();
    assertThat(a.displayName()).isEqualTo("Ольга Петрова");
    assertThat(a.locale()).isEqualTo("en");
    assertThat(a.organisationReference()).isEqualTo("42");

    ExternalSignIn b = OidcClaims.signIn(p, new JWTClaimsSet.Builder().subject("s2").claim("email", "not an address")
        .claim("email_verified", true).build(), Language.EN);
    assertThat(b.email()).isNull();
    assertThat(b.emailVerified()).isFalse();
    assertThat(b.displayName()).isEqualTo("s2");
    assertThat(b.locale()).isEqualTo("en");

    ExternalSignIn c = OidcClaims.signIn(p, new JWTClaimsSet.Builder().subject("s3").claim("email", "ivan@x.example")
        .build(), Language.RU);
    assertThat(c.emailVerified()).as("absent email_verified is not a yes").isFalse();
    assertThat(c.displayName()).isEqualTo("ivan");
    assertThat(OidcClaims.amr(new JWTClaimsSet.Builder().claim("amr", List.of("pwd", "otp", "pwd", "bad value!")).build()))
        .containsExactly("pwd", "otp");
  }
}
