package dev.otklik.api.auth;

import dev.otklik.core.OtklikException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The short-lived token a password sign-in hands out instead of access tokens when a second
 * factor has to follow: "this person of this tenant gave the right password a moment ago".
 * Signed with the node's access-token keys, but for another audience ({@code <aud>/sign-in})
 * and without a {@code role} claim, so no API route ever takes one as an access token. Valid
 * for {@link #TTL}; its {@code pur} claim says what it allows: entering a code
 * ({@code two-factor}) or enrolling an authenticator first ({@code enrolment}).
 */
public final class SignInChallenges {

  public static final Duration TTL = Duration.ofMinutes(5);

  /** What a challenge lets its holder do next. */
  public enum Purpose {
    /** Give a TOTP or recovery code: {@code POST .../auth/login/two-factor}. */
    TWO_FACTOR,
    /** Enrol an authenticator, then confirm it with a code: {@code .../auth/two-factor/enrol[/confirm]}. */
    ENROLMENT;

    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** A checked challenge. */
  public record Challenge(String tenantId, UUID userId, Purpose purpose) {}

  private static final Object[] NO_ARGS = {};

  private final JWTAuth jwt;
  private final JwtKeys keys;
  private final String audience;

  public SignInChallenges(Vertx vertx, JwtKeys keys) {
    this.keys = keys;
    this.audience = keys.audience() + "/sign-in";
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions()
        .setIssuer(keys.issuer())
        .setAudience(List.of(audience))
        .setLeeway(JwtKeys.LEEWAY_SECONDS));
    keys.keys().forEach(key -> options.addPubSecKey(new PubSecKeyOptions(key.toJson())));
    this.jwt = JWTAuth.create(vertx, options);
  }

  public String issue(String tenantId, UUID userId, Purpose purpose) {
    return jwt.generateToken(new JsonObject().put("tid", tenantId).put("pur", purpose.code()),
        new JWTOptions()
            .setAlgorithm(keys.algorithm())
            .setSubject(userId.toString())
            .setIssuer(keys.issuer())
            .setAudience(List.of(audience))
            .setExpiresInSeconds((int) TTL.toSeconds()));
  }

  /**
   * The challenge, if it is valid, of {@code tenantId} and for {@code purpose}; otherwise fails
   * with 401 {@code auth.challenge-invalid} (expired, forged, another tenant's or purpose's).
   */
  public Future<Challenge> verify(String token, String tenantId, Purpose purpose) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(new OtklikException(401, "auth.challenge-invalid"));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .map(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken");
          if (!tenantId.equals(claims.getString("tid")) || !purpose.code().equals(claims.getString("pur"))) {
            throw new OtklikException(401, "auth.challenge-invalid");
          }
          return new Challenge(tenantId, UUID.fromString(claims.getString("sub")), purpose);
        })
        .recover(failure -> Future.failedFuture(failure instanceof OtklikException
            ? failure : new OtklikException(401, "auth.challenge-invalid", failure, NO_ARGS)));
  }
}
