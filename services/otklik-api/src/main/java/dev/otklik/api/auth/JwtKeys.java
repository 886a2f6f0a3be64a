package dev.otklik.api.auth;

import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How access tokens are signed and what they must say. Every node of a cluster needs the same
 * keys, so they come from config: an HS256 secret shared by all nodes, or an RS256 key pair
 * (PEM) when other services should verify tokens without being able to mint them.
 *
 * @param accessTtl lifetime of an access token; short, since a refresh token renews it
 */
public record JwtKeys(
    String algorithm,
    List<PubSecKeyOptions> keys,
    String issuer,
    String audience,
    Duration accessTtl) {

  public static final Duration DEFAULT_ACCESS_TTL = Duration.ofMinutes(15);
  /** HS256 is only as strong as its secret; shorter ones are guessable offline from any token. */
  static final int MIN_SECRET_BYTES = 32;
  /** Tolerated clock difference between the nodes that issue and check a token. */
  static final int LEEWAY_SECONDS = 5;

  public JwtKeys {
    Objects.requireNonNull(issuer, "jwt issuer");
    Objects.requireNonNull(audience, "jwt audience");
    if (accessTtl.isNegative() || accessTtl.isZero()) {
      throw new IllegalArgumentException("access token lifetime must be positive, was " + accessTtl);
    }
    keys = List.copyOf(keys);
  }

  /** Signs and checks with one shared secret of at least 32 bytes (UTF-8). */
  public static JwtKeys hs256(String secret, String issuer, String audience, Duration accessTtl) {
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the HS256 secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    return new JwtKeys("HS256",
        List.of(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)), issuer, audience, accessTtl);
  }

  /**
   * Signs with a PKCS#8 private key and checks with its public key, both PEM. A node that only
   * checks tokens may pass a null private key.
   */
  public static JwtKeys rs256(String privateKeyPem, String publicKeyPem, String issuer, String audience, Duration accessTtl) {
    Objects.requireNonNull(publicKeyPem, "RS256 needs the public key (PEM)");
    List<PubSecKeyOptions> keys = privateKeyPem == null
        ? List.of(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(publicKeyPem))
        : List.of(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(publicKeyPem),
            new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(privateKeyPem));
    return new JwtKeys("RS256", keys, issuer, audience, accessTtl);
  }

  /** Options for vertx-auth-jwt: these keys only, and issuer and audience checked on every token. */
  JWTAuthOptions authOptions() {
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions()
        .setIssuer(issuer)
        .setAudience(List.of(audience))
        .setLeeway(LEEWAY_SECONDS));
    keys.forEach(key -> options.addPubSecKey(new PubSecKeyOptions(key.toJson())));
    return options;
  }
}
