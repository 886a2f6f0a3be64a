package dev.otklik.api.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A small OpenID Connect provider for tests, on a real HTTP port of the loopback interface:
 * discovery, a JWK set (RSA keys made here; an EC key published on request), an authorization
 * endpoint that approves the configured person at once and redirects back with a code, and a
 * token endpoint that checks the client secret (Basic or in the form), the redirect URI and the
 * PKCE verifier before it issues an ID token with the nonce it was given.
 *
 * <p>Knobs: {@link #person} (the claims of whoever "signs in"), {@link #deny} (answer
 * {@code error=access_denied}), {@link #tamper} (changes every ID token the token endpoint
 * issues: expired, another audience, ...), and {@link #idToken} to mint tokens directly, signed
 * by the published key, by a stranger's key under the same {@code kid}, with HS256, ...
 */
public final class TestOidcProvider implements AutoCloseable {

  /** What the authorization endpoint was asked, and whether the token endpoint later saw the matching verifier. */
  public record Authorization(MultiMap params) {}

  private record Grant(String clientId, String redirectUri, String nonce, String challenge, Map<String, Object> person) {}

  public final String name;
  public final String clientId;
  public final String clientSecret;
  public final String issuer;
  public final RSAKey key;
  /** A key nobody publishes, with the same {@code kid} as {@link #key}: its signatures must fail. */
  public final RSAKey stranger;
  public final ECKey ecKey;
  private final Clock clock;
  private final HttpServer server;
  private final List<JWK> published = new CopyOnWriteArrayList<>();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  public final List<Authorization> authorizations = new CopyOnWriteArrayList<>();
  /** Codes redeemed with the right client secret, redirect URI and PKCE verifier. */
  public final List<String> redeemed = new CopyOnWriteArrayList<>();
  public final List<String> refusals = new CopyOnWriteArrayList<>();
  public volatile int jwksFetches;
  public volatile Map<String, Object> person = Map.of();
  public volatile boolean deny;
  public volatile Consumer<JWTClaimsSet.Builder> tamper = b -> {};
  /** What discovery offers as token_endpoint_auth_methods_supported, and what the token endpoint accepts. */
  public volatile List<String> authMethods = List.of("client_secret_basic", "client_secret_post");
  /** How each token request authenticated: client_secret_basic or client_secret_post. */
  public final List<String> authUsed = new CopyOnWriteArrayList<>();

  private TestOidcProvider(Vertx vertx, String name, Clock clock, String clientId, String clientSecret) throws Exception {
    this.name = name;
    this.clock = clock;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.key = new RSAKeyGenerator(2048).keyID(name + "-rsa-1").keyUse(KeyUse.SIGNATURE).generate();
    this.stranger = new RSAKeyGenerator(2048).keyID(name + "-rsa-1").keyUse(KeyUse.SIGNATURE).generate();
    this.ecKey = new ECKeyGenerator(Curve.P_256).keyID(name + "-ec-1").keyUse(KeyUse.SIGNATURE).generate();
    published.add(key.toPublicJWK());
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    String realm = "/realms/" + name;
    router.get(realm + "/.well-known/openid-configuration").handler(this::discovery);
    router.get(realm + "/jwks").handler(this::jwks);
    router.get(realm + "/auth").handler(this::authorize);
    router.post(realm + "/token").handler(this::token);
    this.server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    this.issuer = "http://127.0.0.1:" + server.actualPort() + realm;
  }

  public static TestOidcProvider start(Vertx vertx, String name, Clock clock, String clientId, String clientSecret) {
    try {
      return new TestOidcProvider(vertx, name, clock, clientId, clientSecret);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds the EC key to the published set (a key rotation). */
  public void publishEcKey() {
    published.add(ecKey.toPublicJWK());
  }

  /** The claims a token endpoint would issue now for {@link #person} (iss, aud, sub, iat, exp, nonce, ...). */
  public JWTClaimsSet.Builder claims(String nonce) {
    return claims(nonce, person);
  }

  private JWTClaimsSet.Builder claims(String nonce, Map<String, Object> who) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(clientId)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .claim("nonce", nonce);
    who.forEach(b::claim);
    return b;
  }

  /** An RS256 token of {@link #person} with {@code nonce}, signed by the published key, after {@code tweak}. */
  public String idToken(String nonce, Consumer<JWTClaimsSet.Builder> tweak) {
    JWTClaimsSet.Builder b = claims(nonce);
    tweak.accept(b);
    return sign(b.build(), key, JWSAlgorithm.RS256);
  }

  /** Signs {@code claims} with {@code jwk} (RSA, EC or an octet key for HMAC) under its {@code kid}. */
  public static String sign(JWTClaimsSet claims, JWK jwk, JWSAlgorithm alg) {
    try {
      JWSSigner signer = jwk instanceof RSAKey rsa ? new RSASSASigner(rsa)
          : jwk instanceof ECKey ec ? new ECDSASigner(ec)
          : new MACSigner(jwk.toOctetSequenceKey());
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(jwk.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}) with the given claims. */
  public static String unsigned(JWTClaimsSet claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private void discovery(RoutingContext ctx) {
    String base = issuer;
    json(ctx, 200, new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", base + "/auth")
        .put("token_endpoint", base + "/token")
        .put("jwks_uri", base + "/jwks")
        .put("response_types_supported", new JsonArray().add("code"))
        .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256").add("ES256"))
        .put("code_challenge_methods_supported", new JsonArray().add("S256"))
        .put("token_endpoint_auth_methods_supported", new JsonArray(new ArrayList<>(authMethods))));
  }

  private void jwks(RoutingContext ctx) {
    jwksFetches++;
    ctx.response().putHeader("Content-Type", "application/json").end(new JWKSet(new ArrayList<>(published))
        .toString(true));
  }

  private void authorize(RoutingContext ctx) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap().addAll(ctx.request().params());
    authorizations.add(new Authorization(params));
    String redirect = params.get("redirect_uri");
    String state = params.get("state");
    if (!clientId.equals(params.get("client_id")) || redirect == null) {
      ctx.response().setStatusCode(400).end("unknown client or no redirect_uri");
      return;
    }
    String back;
    if (deny) {
      back = redirect + "?error=access_denied&error_description=" + enc("The user said no") + "&state=" + enc(state);
    } else {
      String code = UUID.randomUUID().toString();
      codes.put(code, new Grant(params.get("client_id"), redirect, params.get("nonce"), params.get("code_challenge"),
          new LinkedHashMap<>(person)));
      back = redirect + "?code=" + code + "&state=" + enc(state);
    }
    ctx.response().setStatusCode(302).putHeader("Location", back).end();
  }

  private void token(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    String id = form.get("client_id");
    String secret = form.get("client_secret");
    String basic = ctx.request().getHeader("Authorization");
    String method = basic != null && basic.startsWith("Basic ") ? "client_secret_basic" : "client_secret_post";
    authUsed.add(method);
    if (!authMethods.contains(method) || method.equals("client_secret_basic") && secret != null) {
      refuse(ctx, 401, "invalid_client");
      return;
    }
    if (basic != null && basic.startsWith("Basic ")) {
      String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
      id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
      secret = URLDecoder.decode(pair[1], StandardCharsets.UTF_8);
    }
    if (!clientId.equals(id) || !clientSecret.equals(secret)) {
      refuse(ctx, 401, "invalid_client");
      return;
    }
    Grant grant = codes.remove(String.valueOf(form.get("code")));
    if (!"authorization_code".equals(form.get("grant_type")) || grant == null
        || !grant.redirectUri().equals(form.get("redirect_uri")) || grant.challenge() == null
        || form.get("code_verifier") == null || !grant.challenge().equals(s256(form.get("code_verifier")))) {
      refuse(ctx, 400, "invalid_grant");
      return;
    }
    redeemed.add(String.valueOf(form.get("code")));
    JWTClaimsSet.Builder claims = claims(grant.nonce(), grant.person());
    tamper.accept(claims);
    json(ctx, 200, new JsonObject()
        .put("access_token", UUID.randomUUID().toString())
        .put("token_type", "Bearer")
        .put("expires_in", 300)
        .put("id_token", sign(claims.build(), key, JWSAlgorithm.RS256)));
  }

  private void refuse(RoutingContext ctx, int status, String error) {
    refusals.add(error);
    json(ctx, status, new JsonObject().put("error", error));
  }

  static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  @Override
  public void close() {
    server.close().await();
  }
}
