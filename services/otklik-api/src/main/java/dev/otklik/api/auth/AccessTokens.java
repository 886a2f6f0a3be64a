package dev.otklik.api.auth;

import dev.otklik.core.OtklikException;
import dev.otklik.core.auth.Role;
import dev.otklik.store.UserAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.List;
import java.util.UUID;

/**
 * Issues and checks access tokens (JWT). Claims: {@code sub} user id, {@code tid} tenant,
 * {@code role} ({@link Role#code()}), {@code org} organisation id when the user has one, plus
 * {@code iss}, {@code aud}, {@code iat} and {@code exp}. Checking refuses a bad signature, an
 * algorithm other than the configured one (so also {@code none}), expiry beyond a few seconds
 * of leeway, and a foreign issuer or audience.
 */
public final class AccessTokens {

  /** What a valid access token says about its bearer. */
  public record AccessClaims(String tenantId, UUID userId, Role role, UUID organisationId) {}

  /** A token as handed to the client. */
  public record AccessToken(String token, long expiresInSeconds) {}

  private static final Object[] NO_ARGS = {};

  private final JWTAuth jwt;
  private final JwtKeys keys;

  public AccessTokens(Vertx vertx, JwtKeys keys) {
    this.keys = keys;
    this.jwt = JWTAuth.create(vertx, keys.authOptions());
  }

  public AccessToken issue(UserAccount user) {
    JsonObject claims = new JsonObject()
        .put("tid", user.tenantId())
        .put("role", user.role().code());
    if (user.organisationId() != null) {
      claims.put("org", user.organisationId().toString());
    }
    long ttl = keys.accessTtl().toSeconds();
    String token = jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm(keys.algorithm())
        .setSubject(user.id().toString())
        .setIssuer(keys.issuer())
        .setAudience(List.of(keys.audience()))
        .setExpiresInSeconds((int) ttl));
    return new AccessToken(token, ttl);
  }

  /** The claims of a valid token; fails with 401 {@code auth.token-invalid} otherwise. */
  public Future<AccessClaims> verify(String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .map(user -> claims(user.attributes().getJsonObject("accessToken")))
        .recover(failure -> Future.failedFuture(failure instanceof OtklikException
            ? failure : new OtklikException(401, "auth.token-invalid", failure, NO_ARGS)));
  }

  private AccessClaims claims(JsonObject payload) {
    try {
      String organisation = payload.getString("org");
      return new AccessClaims(
          requireText(payload, "tid"),
          UUID.fromString(requireText(payload, "sub")),
          Role.ofCode(requireText(payload, "role")),
          organisation == null ? null : UUID.fromString(organisation));
    } catch (IllegalArgumentException | ClassCastException malformed) {
      throw new OtklikException(401, "auth.token-invalid", malformed, NO_ARGS);
    }
  }

  private static String requireText(JsonObject payload, String claim) {
    String value = payload.getString(claim);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing claim " + claim);
    }
    return value;
  }
}
