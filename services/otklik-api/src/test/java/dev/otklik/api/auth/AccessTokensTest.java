package dev.otklik.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.store.UserAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

  private static final String SECRET = "a-test-secret-of-at-least-32-bytes!!";
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final Vertx vertx = Vertx.vertx();
  private final AccessTokens tokens = new AccessTokens(vertx,
      JwtKeys.hs256(SECRET, "https://otklik.test", "otklik-api", JwtKeys.DEFAULT_ACCESS_TTL));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static final UserAccount ANNA = new UserAccount(UUID.randomUUID(), "acme", "anna@client.ru", "Анна",
      "ru", null, Role.CUSTOMER, UUID.randomUUID(), true, null, 1);

  /** A token signed with the right secret, carrying whatever header and claims the test wants. */
  private static String signed(JsonObject header, JsonObject claims) throws Exception {
    String input = B64URL.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + B64URL.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static JsonObject validClaims() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", ANNA.id().toString()).put("tid", "acme").put("role", "customer")
        .put("iss", "https://otklik.test").put("aud", "otklik-api").put("iat", now).put("exp", now + 600);
  }

  private static final JsonObject HS256 = new JsonObject().put("alg", "HS256").put("typ", "JWT");

  private OtklikException refusal(String token) {
    Throwable failure = tokens.verify(token).transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(failure).isInstanceOf(OtklikException.class);
    return (OtklikException) failure;
  }

  @Test
  @DisplayName("an issued token carries user, tenant, role and organisation, lives 15 minutes, and verifies")
  void issuedTokenVerifies() throws Exception {
    AccessTokens.AccessToken issued = tokens.issue(ANNA);
    AccessTokens.AccessClaims claims = tokens.verify(issued.token()).await();

    assertThat(issued.expiresInSeconds()).isEqualTo(900);
    assertThat(claims).isEqualTo(new AccessTokens.AccessClaims("acme", ANNA.id(), Role.CUSTOMER, ANNA.organisationId()));
    assertThat(tokens.verify(signed(HS256, validClaims())).await().tenantId()).isEqualTo("acme");
  }

  @Test
  @DisplayName("a token whose payload was changed after signing is refused")
  void tamperedTokenIsRefused() {
    String[] parts = tokens.issue(ANNA).token().split("\\.");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    payload.put("role", "tenant_admin");
    String tampered = parts[0] + "." + B64URL.encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

    assertThat(refusal(tampered).status()).isEqualTo(401);
    assertThat(refusal(tampered).code()).isEqualTo("auth.token-invalid");
  }

  @Test
  @DisplayName("an unsigned token (alg none) is refused")
  void algNoneIsRefused() {
    String unsigned = B64URL.encodeToString(new JsonObject().put("alg", "none").put("typ", "JWT").encode().getBytes(StandardCharsets.UTF_8))
        + "." + B64URL.encodeToString(validClaims().encode().getBytes(StandardCharsets.UTF_8)) + ".";
    assertThat(refusal(unsigned).code()).isEqualTo("auth.token-invalid");
  }

  @Test
  @DisplayName("an expired token is refused")
  void expiredTokenIsRefused() throws Exception {
    long past = Instant.now().minus(Duration.ofHours(1)).getEpochSecond();
    assertThat(refusal(signed(HS256, validClaims().put("iat", past - 900).put("exp", past))).code())
        .isEqualTo("auth.token-invalid");
  }

  @Test
  @DisplayName("a correctly signed token from another issuer, for another audience or without a tenant is refused")
  void foreignIssuerOrAudienceIsRefused() throws Exception {
    assertThat(refusal(signed(HS256, validClaims().put("iss", "https://evil.test"))).code()).isEqualTo("auth.token-invalid");
    assertThat(refusal(signed(HS256, validClaims().put("aud", "another-api"))).code()).isEqualTo("auth.token-invalid");
    JsonObject noTenant = validClaims();
    noTenant.remove("tid");
    assertThat(refusal(signed(HS256, noTenant)).code()).isEqualTo("auth.token-invalid");
  }

  @Test
  @DisplayName("RS256 keys from PEM sign and verify, and a node holding only the public key verifies but refuses HS256 forgeries")
  void rs256FromPem() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
    AccessTokens signer = new AccessTokens(vertx, JwtKeys.rs256(privatePem, publicPem, "https://otklik.test", "otklik-api", Duration.ofMinutes(15)));
    AccessTokens checker = new AccessTokens(vertx, JwtKeys.rs256(null, publicPem, "https://otklik.test", "otklik-api", Duration.ofMinutes(15)));

    String token = signer.issue(ANNA).token();

    assertThat(checker.verify(token).await().userId()).isEqualTo(ANNA.id());
    Throwable forged = checker.verify(signed(HS256, validClaims())).transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(forged).isInstanceOf(OtklikException.class);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
