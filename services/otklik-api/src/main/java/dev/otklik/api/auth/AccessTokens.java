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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and checks access tokens (JWT). Claims: {@code sub} user id, {@code tid} tenant,
 * {@code role} ({@link Role#code()}), {@code org} the primary organisation id when the user has
 * one, {@code orgs} all the organisations they belong to (V021; absent means just {@code org}), plus
 * {@code iss}, {@code aud}, {@code iat} and {@code exp}. Checking refuses a bad signature, an
 * algorithm other than the configured one (so also {@code none}), expiry beyond a few seconds
 * of leeway, and a foreign issuer or audience.
 */
public final class AccessTokens {

  /**
   * What a valid access token says about its bearer.
   *
   * @param sessionId the session ({@code sid}) the token belongs to; null for API keys and for
   *                  tokens from before sessions
   * @param amr       how the bearer signed in (RFC 8176: pwd, otp, mfa, ext); empty when unknown
   * @param organisationIds every organisation of the bearer ({@code orgs}, V021 memberships); the
   *                  primary {@code organisationId} is always among them
   */
  public record AccessClaims(String tenantId, UUID userId, Role role, UUID organisationId, UUID sessionId,
      List<String> amr, Set<UUID> organisationIds) {

    public AccessClaims {
      amr = amr == null ? List.of() : List.copyOf(amr);
      Set<UUID> all = new LinkedHashSet<>();
      if (organisationId != null) {
        all.add(organisationId);
      }
      if (organisationIds != null) {
        organisationIds.stream().filter(java.util.Objects::nonNull).forEach(all::add);
      }
      organisationIds = java.util.Collections.unmodifiableSet(all);
    }

    /** A bearer whose only organisation is {@code organisationId} (if any). */
    public AccessClaims(String tenantId, UUID userId, Role role, UUID organisationId, UUID sessionId,
        List<String> amr) {
      this(tenantId, userId, role, organisationId, sessionId, amr, null);
    }

    /** Without a session: API keys, platform admins, tests. */
    public AccessClaims(String tenantId, UUID userId, Role role, UUID organisationId) {
      this(tenantId, userId, role, organisationId, null, List.of());
    }
  }

  /** A token as handed to the client. */
  public record AccessToken(String token, long expiresInSeconds) {}

  private static final Object[] NO_ARGS = {};

  /** How many verified tokens are remembered; when full, the memory starts over. */
  private static final int VERIFIED_MAX = 10_000;

  private final JWTAuth jwt;
  private final JwtKeys keys;
  /**
   * Tokens already verified, until their expiry: a client sends the same token with every call,
   * and checking it again costs a signature and a JSON parse each time. Revocation is checked
   * per call elsewhere (SessionRevocations), not here.
   */
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(AccessClaims claims, long expiresAtMillis) {}

  public AccessTokens(Vertx vertx, JwtKeys keys) {
    this.keys = keys;
    this.jwt = JWTAuth.create(vertx, keys.authOptions());
  }

  /** A token of no session (tests and tools); people get theirs through {@link Sessions}. */
  public AccessToken issue(UserAccount user) {
    return issue(user, null, List.of());
  }

  public AccessToken issue(UserAccount user, UUID sessionId, List<String> amr) {
    JsonObject claims = new JsonObject()
        .put("tid", user.tenantId())
        .put("role", user.role().code());
    if (sessionId != null) {
      claims.put("sid", sessionId.toString());
    }
    if (!amr.isEmpty()) {
      claims.put("amr", new io.vertx.core.json.JsonArray(amr));
    }
    if (user.organisationId() != null) {
      claims.put("org", user.organisationId().toString());
    }
    if (!user.organisationIds().isEmpty()) {
      claims.put("orgs", new io.vertx.core.json.JsonArray(user.organisationIds().stream().map(UUID::toString).toList()));
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
    Verified known = verified.get(token);
    if (known != null) {
      if (System.currentTimeMillis() < known.expiresAtMillis()) {
        return Future.succeededFuture(known.claims());
      }
      verified.remove(token);
    }
    return jwt.authenticate(new TokenCredentials(token))
        .map(user -> {
          JsonObject payload = user.attributes().getJsonObject("accessToken");
          AccessClaims claims = claims(payload);
          Long expiresAt = payload.getLong("exp");
          if (expiresAt != null) {
            if (verified.size() >= VERIFIED_MAX) {
              verified.clear();
            }
            verified.put(token, new Verified(claims, expiresAt * 1000));
          }
          return claims;
        })
        .recover(failure -> Future.failedFuture(failure instanceof OtklikException
            ? failure : new OtklikException(401, "auth.token-invalid", failure, NO_ARGS)));
  }

  private AccessClaims claims(JsonObject payload) {
    try {
      String organisation = payload.getString("org");
      String session = payload.getString("sid");
      io.vertx.core.json.JsonArray amr = payload.getJsonArray("amr");
      io.vertx.core.json.JsonArray orgs = payload.getJsonArray("orgs");
      return new AccessClaims(
          requireText(payload, "tid"),
          UUID.fromString(requireText(payload, "sub")),
          Role.ofCode(requireText(payload, "role")),
          organisation == null ? null : UUID.fromString(organisation),
          session == null ? null : UUID.fromString(session),
          amr == null ? List.of() : amr.stream().map(String.class::cast).toList(),
          orgs == null ? null : orgs.stream().map(o -> UUID.fromString((String) o)).collect(
              java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
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
