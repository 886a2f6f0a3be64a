package dev.otklik.api.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.otklik.core.OtklikException;
import dev.otklik.core.tenant.OidcProvider;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks an ID token (OpenID Connect Core 3.1.3.7) against one provider of one tenant:
 *
 * <ul>
 *   <li>a JWS signed with an asymmetric algorithm (RS256/384/512, PS256/384/512, ES256/384/512)
 *       by a key of the provider's JWK set; {@code alg: none} and HMAC algorithms are refused
 *       (Otklik does not accept ID tokens MACed with the client secret, which Otklik itself
 *       holds); an unknown {@code kid} (or none, when no key verifies) makes the set be fetched
 *       again, rate-limited by {@link OidcClient}, once;</li>
 *   <li>{@code iss} equal to the configured issuer, character for character;</li>
 *   <li>{@code aud} containing the client id, and with several audiences an {@code azp} equal
 *       to it (an {@code azp} present is always checked);</li>
 *   <li>{@code exp} in the future and {@code iat}/{@code nbf} not in the future, with
 *       {@link #LEEWAY} either way, on the injected clock;</li>
 *   <li>{@code nonce} equal to the one Otklik sent (or the native client says it sent);</li>
 *   <li>a {@code sub} of 1 to 255 characters.</li>
 * </ul>
 *
 * Failures are 401s with codes a client can tell apart: {@code auth.oidc-token-invalid}
 * (malformed, refused algorithm, missing claims), {@code auth.oidc-token-signature},
 * {@code auth.oidc-token-issuer}, {@code auth.oidc-token-audience},
 * {@code auth.oidc-token-expired}, {@code auth.oidc-token-nonce}. Nimbus JOSE+JWT does the
 * parsing and the signature maths; the policy above is Otklik's own, so it runs on Otklik's clock.
 */
public final class IdTokenValidator {

  public static final Duration LEEWAY = Duration.ofSeconds(60);
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  private final OidcClient client;
  private final Clock clock;

  public IdTokenValidator(OidcClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * The claims of a valid ID token of {@code provider}.
   *
   * @param expectedNonce the nonce the token must carry
   */
  public Future<JWTClaimsSet> validate(OidcProvider provider, String idToken, String expectedNonce) {
    SignedJWT jwt;
    try {
      if (idToken == null || idToken.length() > MAX_TOKEN_CHARS) {
        throw refused("auth.oidc-token-invalid", "missing or too long");
      }
      jwt = SignedJWT.parse(idToken);
    } catch (ParseException e) {
      return Future.failedFuture(refused("auth.oidc-token-invalid", "not a signed JWT: " + e.getMessage()));
    } catch (OtklikException e) {
      return Future.failedFuture(e);
    }
    JWSHeader header = jwt.getHeader();
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      return Future.failedFuture(refused("auth.oidc-token-invalid", "algorithm " + header.getAlgorithm() + " refused"));
    }
    return client.jwksUri(provider)
        .compose(uri -> client.keys(uri, false)
            .compose(keys -> verified(jwt, keys) ? Future.succeededFuture(true)
                : header.getKeyID() == null || !hasKey(keys, header.getKeyID())
                    ? client.keys(uri, true).map(fresh -> verified(jwt, fresh))
                    : Future.succeededFuture(false)))
        .map(ok -> {
          if (!ok) {
            throw refused("auth.oidc-token-signature", "no key of the provider verifies the signature (kid "
                + header.getKeyID() + ")");
          }
          return checkClaims(provider, jwt, expectedNonce);
        });
  }

  private JWTClaimsSet checkClaims(OidcProvider provider, SignedJWT jwt, String expectedNonce) {
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw refused("auth.oidc-token-invalid", "claims: " + e.getMessage());
    }
    if (!provider.issuer().equals(claims.getIssuer())) {
      throw refused("auth.oidc-token-issuer", "iss " + claims.getIssuer());
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(provider.clientId())) {
      throw refused("auth.oidc-token-audience", "aud " + audience);
    }
    Object azp = claims.getClaim("azp");
    if ((audience.size() > 1 || azp != null) && !provider.clientId().equals(azp)) {
      throw refused("auth.oidc-token-audience", "azp " + azp + " with aud " + audience);
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    if (exp == null || iat == null) {
      throw refused("auth.oidc-token-invalid", "exp or iat missing");
    }
    if (!now.isBefore(exp.toInstant().plus(LEEWAY))) {
      throw refused("auth.oidc-token-expired", "expired at " + exp.toInstant());
    }
    if (iat.toInstant().isAfter(now.plus(LEEWAY))) {
      throw refused("auth.oidc-token-expired", "issued in the future, at " + iat.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plus(LEEWAY))) {
      throw refused("auth.oidc-token-expired", "not valid before " + nbf.toInstant());
    }
    Object nonce = claims.getClaim("nonce");
    if (expectedNonce == null || !(nonce instanceof String n) || !MessageDigest.isEqual(
        n.getBytes(StandardCharsets.UTF_8), expectedNonce.getBytes(StandardCharsets.UTF_8))) {
      throw refused("auth.oidc-token-nonce", nonce == null ? "nonce missing" : "nonce differs");
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank() || subject.length() > 255) {
      throw refused("auth.oidc-token-invalid", "sub missing or longer than 255");
    }
    return claims;
  }

  /** True when a signing key of the set that fits the token's header verifies its signature. */
  private static boolean verified(SignedJWT jwt, JWKSet keys) {
    JWSHeader header = jwt.getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    for (JWK key : keys.getKeys()) {
      if (header.getKeyID() != null && !header.getKeyID().equals(key.getKeyID())
          || key.getKeyUse() != null && key.getKeyUse() != KeyUse.SIGNATURE
          || key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
        continue;
      }
      try {
        JWSVerifier verifier = verifier(key, alg);
        if (verifier != null && jwt.verify(verifier)) {
          return true;
        }
      } catch (JOSEException | IllegalStateException e) {
        // a key that cannot check this algorithm (wrong curve, too short) is not the signer
      }
    }
    return false;
  }

  private static JWSVerifier verifier(JWK key, JWSAlgorithm alg) throws JOSEException {
    if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
      return new RSASSAVerifier(rsa);
    }
    if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(alg)) {
      return new ECDSAVerifier(ec);
    }
    return null;
  }

  private static boolean hasKey(JWKSet keys, String kid) {
    return keys.getKeyByKeyId(kid) != null;
  }

  static OtklikException refused(String code, String why) {
    return new OtklikException(401, code, new IllegalArgumentException(why), new Object[0]);
  }
}
