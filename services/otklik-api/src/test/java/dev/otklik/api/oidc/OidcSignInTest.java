package dev.otklik.api.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.otklik.core.auth.Role;
import dev.otklik.core.tenant.Audience;
import dev.otklik.store.ExternalIdentityStore;
import dev.otklik.store.Organisation;
import dev.otklik.store.OrganisationStore;
import dev.otklik.store.OrganisationStore.OrganisationDetails;
import dev.otklik.store.TestDatabase;
import dev.otklik.store.UserAccount;
import dev.otklik.store.UserStore;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on with OpenID Connect over real HTTP, end to end: test providers on their own
 * ports (discovery, JWKS, authorization and token endpoints), the node's API, and the embedded
 * PostgreSQL. The browser is played by a client that follows each redirect by hand and carries
 * the one cookie the flow sets.
 */
class OidcSignInTest {

  static OidcDesk desk;
  static TestOidcProvider alpha;
  static TestOidcProvider beta;
  static UserStore users;
  static OrganisationStore organisations;
  static ExternalIdentityStore identities;

  static final Pattern LANDING = Pattern.compile("/t/([^/]+)/#/sso/([A-Za-z0-9_-]{43})(?:\\?next=(.*))?");
  static final Pattern ERROR_PAGE = Pattern.compile("/t/([^/]+)/#/sso-error/([a-z0-9.-]+)");

  @BeforeAll
  static void start() {
    desk = new OidcDesk();
    alpha = desk.provider("alpha");
    beta = desk.provider("beta");
    beta.authMethods = List.of("client_secret_post");
    users = new UserStore(desk.tx);
    organisations = new OrganisationStore(desk.tx);
    identities = new ExternalIdentityStore(desk.tx, desk.clock);
  }

  @AfterAll
  static void stop() {
    desk.close();
  }

  // ---------- helpers ----------

  static Map<String, Object> person(String email, List<String> groups, Object... more) {
    Map<String, Object> p = new HashMap<>();
    p.put("sub", "sub-" + UUID.randomUUID());
    p.put("email", email);
    p.put("email_verified", true);
    p.put("name", "Тестовый Пользователь");
    p.put("groups", groups);
    for (int i = 0; i < more.length; i += 2) {
      if (more[i + 1] == null) {
        p.remove((String) more[i]);
      } else {
        p.put((String) more[i], more[i + 1]);
      }
    }
    return p;
  }

  static String email(String who) {
    return who + "-" + UUID.randomUUID().toString().substring(0, 6) + "@client.example";
  }

  /** The browser's trip from the portal's button to the provider and back to Otklik's callback. */
  record Flow(String callbackUrl, String cookie, MultiMap authorization) {}

  static Flow begin(String tenant, String provider, TestOidcProvider idp, String returnTo) {
    HttpResponse<Buffer> start = desk.get("/api/v1/tenants/" + tenant + "/auth/oidc/" + provider + "/start"
        + (returnTo == null ? "" : "?returnTo=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8)), null);
    assertThat(start.statusCode()).as(start.bodyAsString()).isEqualTo(302);
    String cookie = start.cookies().stream().filter(c -> c.startsWith(OidcHandler.COOKIE + "="))
        .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    String toProvider = start.getHeader("Location");
    assertThat(toProvider).startsWith(idp.issuer + "/auth?");
    int before = idp.authorizations.size();
    HttpResponse<Buffer> approved = desk.get(toProvider, null);
    assertThat(approved.statusCode()).isEqualTo(302);
    return new Flow(approved.getHeader("Location"), cookie, idp.authorizations.get(before).params());
  }

  /** Follows the provider's redirect to Otklik's callback; Otklik's redirect to the portal. */
  static String callback(Flow flow, String cookie) {
    HttpResponse<Buffer> back = desk.get(flow.callbackUrl(), cookie);
    assertThat(back.statusCode()).as(back.bodyAsString()).isEqualTo(302);
    assertThat(back.getHeader("Cache-Control")).isEqualTo("no-store");
    return back.getHeader("Location");
  }

  static String landingCode(String location, String tenant) {
    Matcher m = LANDING.matcher(location);
    assertThat(m.matches()).as("landing page " + location).isTrue();
    assertThat(m.group(1)).isEqualTo(tenant);
    return m.group(2);
  }

  static String errorCode(String location, String tenant) {
    Matcher m = ERROR_PAGE.matcher(location);
    assertThat(m.matches()).as("error page " + location).isTrue();
    assertThat(m.group(1)).isEqualTo(tenant);
    return m.group(2);
  }

  /** The whole browser sign-in; the tokens the portal gets for its one-time code. */
  static JsonObject browserSignIn(String tenant, String provider, TestOidcProvider idp) {
    Flow flow = begin(tenant, provider, idp, null);
    String code = landingCode(callback(flow, flow.cookie()), tenant);
    HttpResponse<Buffer> tokens = exchange(tenant, code);
    assertThat(tokens.statusCode()).as(tokens.bodyAsString()).isEqualTo(200);
    return tokens.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> exchange(String tenant, String code) {
    return desk.post("/api/v1/tenants/" + tenant + "/auth/oidc/exchange", new JsonObject().put("code", code));
  }

  static HttpResponse<Buffer> tokenSignIn(String tenant, String provider, String idToken, String nonce) {
    return desk.post("/api/v1/tenants/" + tenant + "/auth/oidc/" + provider + "/token",
        new JsonObject().put("idToken", idToken).put("nonce", nonce));
  }

  static void assertRefused(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo(code);
  }

  static long count(String sql, Object... params) throws Exception {
    try (Connection c = TestDatabase.superuserConnection(); PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        q.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static long accounts(String tenant) throws Exception {
    return count("SELECT count(*) FROM app_user WHERE tenant_id = ?", tenant);
  }

  static long links(String tenant) throws Exception {
    return count("SELECT count(*) FROM external_identity WHERE tenant_id = ?", tenant);
  }

  static Organisation organisation(String tenant, String contractNumber, String... domains) {
    return organisations.create(tenant, new OrganisationDetails("Клиника " + UUID.randomUUID(), List.of(domains),
        contractNumber, null, null, null)).await();
  }

  // ---------- the browser flow ----------

  @Test
  @DisplayName("two tenants with different providers: each signs in end to end (PKCE S256, state, nonce), the user is made with the mapped role, and the tokens work on the request list")
  void browserSignInWorksForTwoTenantsWithDifferentProviders() throws Exception {
    String tenantA = desk.tenant(OidcDesk.entry("corp", alpha));
    String tenantB = desk.tenant(OidcDesk.entry("corp", beta));

    String agentEmail = email("agent");
    alpha.person = person(agentEmail, List.of("support", "everyone"));
    Flow flow = begin(tenantA, "corp", alpha, "/requests");
    MultiMap asked = flow.authorization();
    assertThat(asked.get("response_type")).isEqualTo("code");
    assertThat(asked.get("client_id")).isEqualTo(alpha.clientId);
    assertThat(asked.get("redirect_uri")).isEqualTo(desk.base + "/api/v1/tenants/" + tenantA + "/auth/oidc/corp/callback");
    assertThat(asked.get("scope")).isEqualTo("openid email profile");
    assertThat(asked.get("code_challenge_method")).isEqualTo("S256");
    assertThat(asked.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    assertThat(asked.get("state")).matches("[A-Za-z0-9_-]{43}");
    assertThat(asked.get("nonce")).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(asked.get("state"));
    assertThat(flow.callbackUrl()).startsWith(desk.base + "/api/v1/tenants/" + tenantA + "/auth/oidc/corp/callback?code=");

    String landing = callback(flow, flow.cookie());
    String code = landingCode(landing, tenantA);
    assertThat(landing).endsWith("?next=/requests");
    assertThat(alpha.redeemed).as("the token endpoint saw the verifier matching the S256 challenge").hasSize(1);
    assertThat(landing).doesNotContain("accessToken").doesNotContain("eyJ");

    HttpResponse<Buffer> tokens = exchange(tenantA, code);
    assertThat(tokens.statusCode()).as(tokens.bodyAsString()).isEqualTo(200);
    assertThat(tokens.getHeader("Cache-Control")).isEqualTo("no-store");
    String accessToken = tokens.bodyAsJsonObject().getString("accessToken");
    assertThat(tokens.bodyAsJsonObject().getString("refreshToken")).isNotBlank();
    assertThat(desk.getWithToken("/api/v1/tenants/" + tenantA + "/requests", accessToken).statusCode()).isEqualTo(200);
    JsonObject me = desk.getWithToken("/api/v1/tenants/" + tenantA + "/me", accessToken).bodyAsJsonObject();
    assertThat(me.getString("email")).isEqualTo(agentEmail);

    UserAccount agent = users.findByEmail(tenantA, agentEmail).await().orElseThrow();
    assertThat(agent.role()).isEqualTo(Role.AGENT);
    assertThat(agent.passwordHash()).isNull();
    assertThat(agent.displayName()).isEqualTo("Тестовый Пользователь");
    assertThat(identities.identities(tenantA, agent.id()).await())
        .singleElement().satisfies(i -> {
          assertThat(i.providerId()).isEqualTo("corp");
          assertThat(i.subject()).isEqualTo(alpha.person.get("sub"));
          assertThat(i.email()).isEqualTo(agentEmail);
        });
    assertThat(count("SELECT count(*) FROM user_session WHERE tenant_id = ? AND user_id = ? AND method = 'oidc:corp'",
        tenantA, agent.id())).as("a session started through Sessions, method oidc:<provider>").isEqualTo(1);

    // Tenant B, another provider: its own admin, nothing in tenant A.
    String adminEmail = email("admin");
    beta.person = person(adminEmail, List.of("support-admins", "support"));
    JsonObject tokensB = browserSignIn(tenantB, "corp", beta);
    assertThat(desk.getWithToken("/api/v1/tenants/" + tenantB + "/requests", tokensB.getString("accessToken"))
        .statusCode()).isEqualTo(200);
    assertThat(users.findByEmail(tenantB, adminEmail).await().orElseThrow().role())
        .as("the highest-ranking mapped role").isEqualTo(Role.TENANT_ADMIN);
    assertThat(users.findByEmail(tenantA, adminEmail).await()).isEmpty();
    assertThat(alpha.authUsed).as("the secret in Basic authentication by default").containsOnly("client_secret_basic");
    assertThat(beta.authUsed).as("in the form where the provider offers only that").containsOnly("client_secret_post");
    assertThat(desk.getWithToken("/api/v1/tenants/" + tenantA + "/requests", tokensB.getString("accessToken"))
        .statusCode()).as("B's session is no key to A").isEqualTo(403);

    // Signing in again reuses the link and the account.
    JsonObject again = browserSignIn(tenantA, "corp", alpha);
    assertThat(again.getString("accessToken")).isNotEqualTo(accessToken);
    assertThat(count("SELECT count(*) FROM app_user WHERE tenant_id = ? AND lower(email) = lower(?)", tenantA,
        agentEmail)).isEqualTo(1);
  }

  @Test
  @DisplayName("a state works once, only in its tenant and browser; the one-time code works once and only in its tenant")
  void stateAndCodeAreSingleUseAndStayInTheirTenant() throws Exception {
    String tenantA = desk.tenant(OidcDesk.entry("corp", alpha));
    String tenantB = desk.tenant(OidcDesk.entry("corp", alpha));
    alpha.person = person(email("agent"), List.of("support"));

    // replayed state
    Flow flow = begin(tenantA, "corp", alpha, null);
    String code = landingCode(callback(flow, flow.cookie()), tenantA);
    assertThat(errorCode(callback(flow, flow.cookie()), tenantA)).isEqualTo("auth.oidc-state-invalid");

    // a state of tenant A at tenant B's callback (same provider, same client): unknown there
    Flow other = begin(tenantA, "corp", alpha, null);
    String atB = other.callbackUrl().replace("/tenants/" + tenantA + "/", "/tenants/" + tenantB + "/");
    assertThat(errorCode(callback(new Flow(atB, other.cookie(), other.authorization()), other.cookie()), tenantB))
        .isEqualTo("auth.oidc-state-invalid");

    // a state finished in another browser (no cookie, or another one)
    Flow stolen = begin(tenantA, "corp", alpha, null);
    assertThat(errorCode(callback(stolen, null), tenantA)).isEqualTo("auth.oidc-state-invalid");
    Flow stolen2 = begin(tenantA, "corp", alpha, null);
    assertThat(errorCode(callback(stolen2, OidcHandler.COOKIE + "=" + "A".repeat(43)), tenantA))
        .isEqualTo("auth.oidc-state-invalid");

    // the one-time code: not at tenant B, then once at A, then never again
    assertRefused(exchange(tenantB, code), 400, "auth.oidc-code-invalid");
    assertThat(exchange(tenantA, code).statusCode()).isEqualTo(200);
    assertRefused(exchange(tenantA, code), 400, "auth.oidc-code-invalid");

    // a lapsed state: eleven minutes after the start
    Flow slow = begin(tenantA, "corp", alpha, null);
    desk.clock.advance(Duration.ofMinutes(11));
    try {
      assertThat(errorCode(callback(slow, slow.cookie()), tenantA)).isEqualTo("auth.oidc-state-invalid");
    } finally {
      desk.clock.advance(Duration.ofMinutes(-11));
    }
    assertThat(users.findByEmail(tenantB, (String) alpha.person.get("email")).await()).isEmpty();
  }

  @Test
  @DisplayName("the provider's refusal, a bad token from the token endpoint and an unknown provider end on the portal's error page with a stable code")
  void browserFailuresEndOnThePortalErrorPage() throws Exception {
    String tenant = desk.tenant(OidcDesk.entry("corp", beta));
    beta.person = person(email("agent"), List.of("support"));
    try {
      beta.deny = true;
      Flow denied = begin(tenant, "corp", beta, null);
      assertThat(denied.callbackUrl()).contains("error=access_denied");
      assertThat(errorCode(callback(denied, denied.cookie()), tenant)).isEqualTo("auth.oidc-denied");
      beta.deny = false;

      beta.tamper = b -> b.expirationTime(Date.from(desk.clock.instant().minusSeconds(3600)));
      Flow expired = begin(tenant, "corp", beta, null);
      assertThat(errorCode(callback(expired, expired.cookie()), tenant)).isEqualTo("auth.oidc-token-expired");

      beta.tamper = b -> b.claim("nonce", "not-the-nonce-we-sent");
      Flow nonce = begin(tenant, "corp", beta, null);
      assertThat(errorCode(callback(nonce, nonce.cookie()), tenant)).isEqualTo("auth.oidc-token-nonce");
    } finally {
      beta.deny = false;
      beta.tamper = b -> {};
    }
    assertThat(accounts(tenant)).isZero();

    HttpResponse<Buffer> unknown = desk.get("/api/v1/tenants/" + tenant + "/auth/oidc/nope/start", null);
    assertThat(unknown.statusCode()).isEqualTo(302);
    assertThat(errorCode(unknown.getHeader("Location"), tenant)).isEqualTo("auth.oidc-provider-unknown");

    desk.environment.remove(OidcDesk.envName(beta));
    try {
      HttpResponse<Buffer> noSecret = desk.get("/api/v1/tenants/" + tenant + "/auth/oidc/corp/start", null);
      assertThat(errorCode(noSecret.getHeader("Location"), tenant)).isEqualTo("auth.oidc-unavailable");
    } finally {
      desk.environment.put(OidcDesk.envName(beta), beta.clientSecret);
    }
  }

  @Test
  @DisplayName("the same provider (same issuer and client id) configured for two tenants makes two separate accounts")
  void sameProviderForTwoTenantsMakesTwoAccounts() throws Exception {
    String tenantA = desk.tenant(OidcDesk.entry("corp", alpha));
    String tenantB = desk.tenant(OidcDesk.entry("staff-sso", alpha));
    String email = email("agent");
    alpha.person = person(email, List.of("support"));

    JsonObject a = browserSignIn(tenantA, "corp", alpha);
    JsonObject b = browserSignIn(tenantB, "staff-sso", alpha);
    UserAccount inA = users.findByEmail(tenantA, email).await().orElseThrow();
    UserAccount inB = users.findByEmail(tenantB, email).await().orElseThrow();
    assertThat(inA.id()).isNotEqualTo(inB.id());
    assertThat(links(tenantA)).isEqualTo(1);
    assertThat(links(tenantB)).isEqualTo(1);
    assertThat(desk.getWithToken("/api/v1/tenants/" + tenantB + "/me", a.getString("accessToken")).statusCode())
        .isEqualTo(403);
    assertThat(desk.getWithToken("/api/v1/tenants/" + tenantB + "/me", b.getString("accessToken")).statusCode())
        .isEqualTo(200);

    // and a token sent straight to the other tenant signs in its own account there
    String nonce = "n-" + UUID.randomUUID();
    HttpResponse<Buffer> direct = tokenSignIn(tenantB, "staff-sso", alpha.idToken(nonce, x -> {}), nonce);
    assertThat(direct.statusCode()).isEqualTo(200);
    JsonObject me = desk.getWithToken("/api/v1/tenants/" + tenantB + "/me",
        direct.bodyAsJsonObject().getString("accessToken")).bodyAsJsonObject();
    assertThat(me.getString("id")).isEqualTo(inB.id().toString());
  }

  // ---------- refused tokens (the direct ID-token sign-in) ----------

  @Test
  @DisplayName("a token of tenant A's provider is refused at tenant B, and creates nobody there")
  void tokenOfAnotherTenantsProviderIsRefused() throws Exception {
    String tenantA = desk.tenant(OidcDesk.entry("corp", alpha));
    String tenantB = desk.tenant(OidcDesk.entry("corp", beta));
    alpha.person = person(email("agent"), List.of("support"));
    String nonce = "n-" + UUID.randomUUID();
    String token = alpha.idToken(nonce, b -> {});

    assertRefused(tokenSignIn(tenantB, "corp", token, nonce), 401, "auth.oidc-token-signature");
    assertThat(accounts(tenantB)).isZero();
    assertThat(tokenSignIn(tenantA, "corp", token, nonce).statusCode()).isEqualTo(200);

    // even signed by B's own key, A's issuer and audience are not B's
    String issuedByA = TestOidcProvider.sign(alpha.claims(nonce).build(), beta.key, JWSAlgorithm.RS256);
    assertRefused(tokenSignIn(tenantB, "corp", issuedByA, nonce), 401, "auth.oidc-token-issuer");
    String forA = TestOidcProvider.sign(beta.claims(nonce).audience(alpha.clientId).build(), beta.key,
        JWSAlgorithm.RS256);
    assertRefused(tokenSignIn(tenantB, "corp", forA, nonce), 401, "auth.oidc-token-audience");
    assertThat(accounts(tenantB)).isZero();
    assertThat(links(tenantB)).isZero();
  }

  @Test
  @DisplayName("expired, wrong audience, wrong signature, unknown key, wrong issuer, wrong or missing nonce, alg none and HS256 are each refused with their code, creating nobody")
  void badTokensAreRefusedEachWithItsCode() throws Exception {
    String tenant = desk.tenant(OidcDesk.entry("corp", beta));
    beta.person = person(email("agent"), List.of("support"));
    String nonce = "n-" + UUID.randomUUID();
    java.time.Instant now = desk.clock.instant();
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    Map<String, String> nonces = new HashMap<>();

    cases.put("auth.oidc-token-expired", beta.idToken(nonce, b -> b.expirationTime(Date.from(now.minusSeconds(61)))));
    cases.put("auth.oidc-token-expired ", beta.idToken(nonce, b -> b.issueTime(Date.from(now.plusSeconds(600)))));
    cases.put("auth.oidc-token-expired  ", beta.idToken(nonce, b -> b.notBeforeTime(Date.from(now.plusSeconds(600)))));
    cases.put("auth.oidc-token-audience", beta.idToken(nonce, b -> b.audience("someone-else")));
    cases.put("auth.oidc-token-audience ", beta.idToken(nonce, b -> b.audience(List.of(beta.clientId, "other"))));
    cases.put("auth.oidc-token-audience  ", beta.idToken(nonce, b -> b.audience(List.of(beta.clientId, "other"))
        .claim("azp", "other")));
    cases.put("auth.oidc-token-signature", TestOidcProvider.sign(beta.claims(nonce).build(), beta.stranger,
        JWSAlgorithm.RS256));
    cases.put("auth.oidc-token-signature ", TestOidcProvider.sign(beta.claims(nonce).build(),
        new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("ghost").generate(), JWSAlgorithm.RS256));
    String[] parts = beta.idToken(nonce, b -> {}).split("\\.");
    String[] otherParts = beta.idToken(nonce, b -> b.subject("someone-else")).split("\\.");
    cases.put("auth.oidc-token-signature  ", parts[0] + "." + otherParts[1] + "." + parts[2]);
    cases.put("auth.oidc-token-issuer", beta.idToken(nonce, b -> b.issuer(beta.issuer + "/")));
    cases.put("auth.oidc-token-nonce", beta.idToken(nonce, b -> b.claim("nonce", null)));
    cases.put("auth.oidc-token-nonce ", beta.idToken("another-nonce", b -> {}));
    cases.put("auth.oidc-token-invalid", TestOidcProvider.unsigned(beta.claims(nonce).build()));
    cases.put("auth.oidc-token-invalid ", TestOidcProvider.sign(beta.claims(nonce).build(),
        new OctetSequenceKey.Builder(("secret-of-beta-padded-to-32-bytes!!").getBytes(StandardCharsets.UTF_8))
            .keyID(beta.key.getKeyID()).build(), JWSAlgorithm.HS256));
    cases.put("auth.oidc-token-invalid  ", beta.idToken(nonce, b -> b.subject(null)));
    cases.put("auth.oidc-token-invalid   ", "not.a.token");

    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<Buffer> response = tokenSignIn(tenant, "corp", c.getValue(), nonces.getOrDefault(c.getKey(), nonce));
      assertThat(response.statusCode()).as(c.getKey() + ": " + response.bodyAsString()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getString("code")).as(c.getKey()).isEqualTo(c.getKey().strip());
    }
    assertThat(accounts(tenant)).isZero();
    assertThat(links(tenant)).isZero();

    // inside the leeway an expired token still counts; the good token signs in
    assertThat(tokenSignIn(tenant, "corp", beta.idToken(nonce, b -> b.expirationTime(Date.from(now.minusSeconds(30)))),
        nonce).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> problem = desk.http.postAbs(desk.base + "/api/v1/tenants/" + tenant + "/auth/oidc/corp/token")
        .putHeader("Accept-Language", "ru")
        .sendJsonObject(new JsonObject().put("idToken", cases.get("auth.oidc-token-expired")).put("nonce", nonce)).await();
    assertThat(problem.bodyAsJsonObject().getString("title")).isEqualTo("Токен личности просрочен");
  }

  @Test
  @DisplayName("a key the provider publishes later (ES256) is fetched again on its unknown kid, at most once in 30 seconds")
  void rotatedKeyIsFetchedAgainRateLimited() throws Exception {
    TestOidcProvider gamma = desk.provider("gamma");
    String tenant = desk.tenant(OidcDesk.entry("corp", gamma));
    gamma.person = person(email("agent"), List.of("support"));
    String nonce = "n-" + UUID.randomUUID();
    assertThat(tokenSignIn(tenant, "corp", gamma.idToken(nonce, b -> {}), nonce).statusCode()).isEqualTo(200);
    int fetches = gamma.jwksFetches;

    gamma.publishEcKey();
    String es256 = TestOidcProvider.sign(gamma.claims(nonce).build(), gamma.ecKey, JWSAlgorithm.ES256);
    assertRefused(tokenSignIn(tenant, "corp", es256, nonce), 401, "auth.oidc-token-signature");
    assertThat(gamma.jwksFetches).as("the set was fetched moments ago: no new fetch").isEqualTo(fetches);

    desk.clock.advance(Duration.ofSeconds(31));
    assertThat(tokenSignIn(tenant, "corp", es256, nonce).statusCode()).isEqualTo(200);
    assertThat(gamma.jwksFetches).isEqualTo(fetches + 1);
    gamma.close();
  }

  // ---------- provisioning ----------

  @Test
  @DisplayName("customers land in their organisation: by the org claim (id or contract number), else by their verified e-mail's domain; none: refused")
  void customersAreMatchedToTheirOrganisation() throws Exception {
    String tenant = desk.tenant(OidcDesk.entry("corp", alpha));
    String domain = "hosp-" + UUID.randomUUID().toString().substring(0, 6) + ".example";
    Organisation byDomain = organisation(tenant, null, domain);
    Organisation byContract = organisation(tenant, "D-" + UUID.randomUUID().toString().substring(0, 6));
    Organisation byId = organisation(tenant, null);

    String anna = "anna@" + domain;
    alpha.person = person(anna, List.of("clients"));
    browserSignIn(tenant, "corp", alpha);
    UserAccount annaAccount = users.findByEmail(tenant, anna).await().orElseThrow();
    assertThat(annaAccount.role()).isEqualTo(Role.CUSTOMER);
    assertThat(annaAccount.organisationId()).isEqualTo(byDomain.id());

    String nonce = "n-" + UUID.randomUUID();
    alpha.person = person(email("boris"), List.of("clients"), "org", byContract.contractNumber());
    assertThat(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce).statusCode()).isEqualTo(200);
    assertThat(users.findByEmail(tenant, (String) alpha.person.get("email")).await().orElseThrow().organisationId())
        .isEqualTo(byContract.id());

    alpha.person = person(email("vera"), List.of("clients"), "org", byId.id().toString());
    assertThat(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce).statusCode()).isEqualTo(200);
    assertThat(users.findByEmail(tenant, (String) alpha.person.get("email")).await().orElseThrow().organisationId())
        .isEqualTo(byId.id());

    long before = accounts(tenant);
    alpha.person = person(email("gleb"), List.of("clients"), "org", "no-such-contract");
    assertRefused(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce), 403,
        "auth.oidc-organisation-unmatched");
    alpha.person = person("dmitry@" + domain, List.of("clients"), "email_verified", false);
    assertRefused(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce), 403,
        "auth.oidc-organisation-unmatched");
    assertThat(accounts(tenant)).as("nobody made").isEqualTo(before);
  }

  @Test
  @DisplayName("no mapped role and no default role: refused with auth.oidc-role-unmapped, nobody made; a staff-only provider never makes a customer")
  void unmappedRoleIsRefused() throws Exception {
    String tenant = desk.tenant(OidcDesk.entry("corp", alpha),
        OidcDesk.entry("staff", alpha, EnumSet.of(Audience.STAFF), Optional.empty()));
    String nonce = "n-" + UUID.randomUUID();
    alpha.person = person(email("nobody"), List.of("marketing"));
    assertRefused(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce), 403, "auth.oidc-role-unmapped");
    alpha.person = person(email("nobody"), List.of(), "groups", null);
    assertRefused(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce), 403, "auth.oidc-role-unmapped");

    String domain = "x-" + UUID.randomUUID().toString().substring(0, 6) + ".example";
    organisation(tenant, null, domain);
    alpha.person = person("client@" + domain, List.of("clients"));
    assertRefused(tokenSignIn(tenant, "staff", alpha.idToken(nonce, b -> {}), nonce), 403, "auth.oidc-role-unmapped");
    assertThat(accounts(tenant)).isZero();

    // a default role lets people without a mapped group in
    String withDefault = desk.tenant(OidcDesk.entry("corp", alpha, EnumSet.of(Audience.STAFF), Optional.of(Role.AGENT)));
    alpha.person = person(email("newcomer"), List.of("marketing"));
    assertThat(tokenSignIn(withDefault, "corp", alpha.idToken(nonce, b -> {}), nonce).statusCode()).isEqualTo(200);
    assertThat(users.findByEmail(withDefault, (String) alpha.person.get("email")).await().orElseThrow().role())
        .isEqualTo(Role.AGENT);
  }

  @Test
  @DisplayName("an existing account is linked by a verified e-mail only; the role follows the claims at every sign-in; a disabled account is refused")
  void existingAccountsAreLinkedByVerifiedEmailAndFollowTheClaims() throws Exception {
    String tenant = desk.tenant(OidcDesk.entry("corp", alpha));
    String email = email("ivan");
    UserAccount ivan = users.create(tenant, new UserStore.NewUser(email, "Иван", "ru", null, Role.AGENT, null)).await();
    String nonce = "n-" + UUID.randomUUID();

    alpha.person = person(email.toUpperCase(), List.of("leads"), "email_verified", false);
    assertRefused(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce), 403, "auth.oidc-email-unverified");
    assertThat(links(tenant)).isZero();

    alpha.person = person(email.toUpperCase(), List.of("leads"));
    HttpResponse<Buffer> linked = tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce);
    assertThat(linked.statusCode()).isEqualTo(200);
    JsonObject me = desk.getWithToken("/api/v1/tenants/" + tenant + "/me",
        linked.bodyAsJsonObject().getString("accessToken")).bodyAsJsonObject();
    assertThat(me.getString("id")).isEqualTo(ivan.id().toString());
    assertThat(users.findById(tenant, ivan.id()).await().orElseThrow().role()).isEqualTo(Role.COORDINATOR);

    // the provider now says plain support: the role follows, even with the e-mail changed there
    Map<String, Object> changed = new HashMap<>(alpha.person);
    changed.put("groups", List.of("support"));
    changed.put("email", email("renamed"));
    changed.put("email_verified", false);
    alpha.person = changed;
    assertThat(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce).statusCode()).isEqualTo(200);
    UserAccount now = users.findById(tenant, ivan.id()).await().orElseThrow();
    assertThat(now.role()).isEqualTo(Role.AGENT);
    assertThat(now.email()).as("the e-mail of a linked account stays").isEqualTo(email);

    // no role any more: refused, and the role stays as it was
    changed.put("groups", List.of());
    assertRefused(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce), 403, "auth.oidc-role-unmapped");

    changed.put("groups", List.of("support"));
    users.setEnabled(tenant, ivan.id(), false).await();
    assertRefused(tokenSignIn(tenant, "corp", alpha.idToken(nonce, b -> {}), nonce), 403, "auth.account-disabled");
    Flow flow = begin(tenant, "corp", alpha, null);
    assertThat(errorCode(callback(flow, flow.cookie()), tenant)).isEqualTo("auth.account-disabled");
    assertThat(links(tenant)).isEqualTo(1);
  }

  @Test
  @DisplayName("five first sign-ins of one new person at once end on one account and one link")
  void concurrentFirstSignInsMakeOneAccount() throws Exception {
    String tenant = desk.tenant(OidcDesk.entry("corp", alpha));
    alpha.person = person(email("twin"), List.of("support"));
    String nonce = "n-" + UUID.randomUUID();
    List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(desk.http.postAbs(desk.base + "/api/v1/tenants/" + tenant + "/auth/oidc/corp/token")
          .sendJsonObject(new JsonObject().put("idToken", alpha.idToken(nonce, b -> {})).put("nonce", nonce)));
    }
    for (var response : sent) {
      assertThat(response.await().statusCode()).as(response.result().bodyAsString()).isEqualTo(200);
    }
    assertThat(accounts(tenant)).isEqualTo(1);
    assertThat(links(tenant)).isEqualTo(1);
  }

  @Test
  @DisplayName("auth/methods lists who may use a password and each provider with its label, audience and start URL, without secrets")
  void methodsListTheProvidersWithoutSecrets() {
    String tenant = desk.tenant(EnumSet.of(Audience.STAFF), OidcDesk.entry("corp", alpha),
        OidcDesk.entry("staff", beta, EnumSet.of(Audience.STAFF), Optional.empty()));
    HttpResponse<Buffer> response = desk.get("/api/v1/tenants/" + tenant + "/auth/methods", null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject methods = response.bodyAsJsonObject();
    assertThat(methods.getJsonArray("password").getList()).containsExactly("staff");
    assertThat(methods.getJsonArray("oidc")).hasSize(2);
    JsonObject corp = methods.getJsonArray("oidc").getJsonObject(0);
    assertThat(corp.getString("id")).isEqualTo("corp");
    assertThat(corp.getJsonObject("label").getString("ru")).isEqualTo("Войти через alpha");
    assertThat(corp.getJsonObject("label").getString("en")).isEqualTo("Sign in with alpha");
    assertThat(corp.getJsonArray("for").getList()).containsExactly("staff", "customers");
    assertThat(corp.getString("startUrl")).isEqualTo(desk.base + "/api/v1/tenants/" + tenant + "/auth/oidc/corp/start");
    assertThat(methods.getJsonArray("oidc").getJsonObject(1).getJsonArray("for").getList()).containsExactly("staff");
    assertThat(response.bodyAsString()).doesNotContain(alpha.clientSecret).doesNotContain("SECRET")
        .doesNotContain(alpha.issuer);

    HttpResponse<Buffer> none = desk.get("/api/v1/tenants/no-such-tenant/auth/methods", null);
    assertThat(none.statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("only same-origin portal routes are kept as returnTo")
  void returnToIsAPortalRouteOnly() {
    assertThat(OidcHandler.returnTo("/requests/ASMO-2026-000001")).isEqualTo("/requests/ASMO-2026-000001");
    assertThat(OidcHandler.returnTo("#/queue")).isEqualTo("/queue");
    assertThat(OidcHandler.returnTo("https://evil.example/")).isNull();
    assertThat(OidcHandler.returnTo("//evil.example/")).isNull();
    assertThat(OidcHandler.returnTo("/a/../../x")).isNull();
    assertThat(OidcHandler.returnTo("/x?y=<script>")).isNull();
    assertThat(OidcHandler.returnTo(null)).isNull();
  }
}
