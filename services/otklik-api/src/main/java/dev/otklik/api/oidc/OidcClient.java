package dev.otklik.api.oidc;

import com.nimbusds.jose.jwk.JWKSet;
import dev.otklik.core.OtklikException;
import dev.otklik.core.tenant.OidcProvider;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Otklik's calls to identity providers, all non-blocking through the Vert.x {@link WebClient}:
 * the discovery document (cached per issuer for {@link #METADATA_TTL}), the JWK set (cached per
 * URI for {@link #KEYS_TTL}; fetched again when a token names a key it lacks, at most once per
 * {@link #KEYS_REFETCH_INTERVAL}, so a stream of tokens with made-up {@code kid}s cannot make
 * Otklik hammer the provider) and the token endpoint. A fetch in flight is shared by everyone
 * asking meanwhile; a failed fetch is not cached. Documents are public per issuer, so the caches
 * are shared by every tenant configuring that issuer; nothing tenant-specific is cached.
 *
 * <p>Failures are 502 {@code auth.oidc-unavailable} (the provider could not be reached or
 * answered nonsense) or, from the token endpoint's own refusal, 401 {@code auth.oidc-denied}.
 */
public final class OidcClient {

  public static final Duration METADATA_TTL = Duration.ofHours(1);
  public static final Duration KEYS_TTL = Duration.ofHours(1);
  public static final Duration KEYS_REFETCH_INTERVAL = Duration.ofSeconds(30);
  static final long TIMEOUT_MILLIS = 10_000;
  /** A discovery document, key set or token response larger than this is refused. */
  static final int MAX_BODY_BYTES = 512 * 1024;

  private final WebClient web;
  private final Clock clock;
  private final Map<String, Cached<OidcMetadata>> metadata = new ConcurrentHashMap<>();
  private final Map<String, Cached<JWKSet>> keys = new ConcurrentHashMap<>();

  private record Cached<T>(Future<T> value, Instant fetchedAt) {}

  public OidcClient(Vertx vertx, Clock clock) {
    this.web = WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("Otklik")
        .setFollowRedirects(false)
        .setConnectTimeout((int) TIMEOUT_MILLIS));
    this.clock = clock;
  }

  /** The provider's discovery document. */
  public Future<OidcMetadata> metadata(OidcProvider provider) {
    String issuer = provider.issuer();
    String url = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
        + "/.well-known/openid-configuration";
    return cached(metadata, issuer, METADATA_TTL, false, () -> getJson(url)
        .map(document -> OidcMetadata.parse(document, issuer)));
  }

  /**
   * Where the provider's keys are: the configured {@code jwks-uri}, else the discovery document's.
   */
  public Future<String> jwksUri(OidcProvider provider) {
    if (provider.jwksUri().isPresent()) {
      return Future.succeededFuture(provider.jwksUri().get());
    }
    return metadata(provider).compose(m -> m.jwksUri() != null ? Future.succeededFuture(m.jwksUri())
        : Future.failedFuture(OidcMetadata.unavailable("discovery document of " + provider.issuer() + " has no jwks_uri")));
  }

  /**
   * The JWK set at {@code uri}; {@code refetch} asks for a fresh copy (a token named a key the
   * cached set lacks), which is granted at most once per {@link #KEYS_REFETCH_INTERVAL}.
   */
  public Future<JWKSet> keys(String uri, boolean refetch) {
    return cached(keys, uri, KEYS_TTL, refetch, () -> getText(uri).map(text -> {
      try {
        return JWKSet.parse(text);
      } catch (ParseException e) {
        throw new OtklikException(502, "auth.oidc-unavailable", e, new Object[0]);
      }
    }));
  }

  /**
   * Redeems an authorization code at the token endpoint (with the PKCE verifier), authenticating
   * with the client secret as Basic authentication, or in the form when the provider supports
   * only {@code client_secret_post}. The token response as JSON.
   */
  public Future<JsonObject> redeem(OidcMetadata provider, String clientId, String clientSecret, String code,
      String redirectUri, String codeVerifier) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "authorization_code")
        .add("code", code)
        .add("redirect_uri", redirectUri)
        .add("code_verifier", codeVerifier);
    HttpRequest<Buffer> request = web.postAbs(provider.tokenEndpoint())
        .timeout(TIMEOUT_MILLIS)
        .putHeader("Accept", "application/json");
    if (provider.prefersSecretInForm()) {
      form.add("client_id", clientId).add("client_secret", clientSecret);
    } else {
      // RFC 6749 2.3.1: both are form-urlencoded before they are joined and base64-encoded
      request.basicAuthentication(formEncode(clientId), formEncode(clientSecret));
    }
    return request.sendForm(form)
        .recover(failure -> Future.failedFuture(new OtklikException(502, "auth.oidc-unavailable", failure,
            new Object[0])))
        .map(response -> {
          JsonObject body = json(response, provider.tokenEndpoint());
          if (response.statusCode() >= 400 && response.statusCode() < 500 && body.getValue("error") instanceof String e) {
            throw new OtklikException(401, "auth.oidc-denied", new IllegalStateException("token endpoint: " + e
                + " " + body.getValue("error_description")), OidcHandler.errorCode(e));
          }
          if (response.statusCode() != 200) {
            throw OidcMetadata.unavailable("token endpoint answered " + response.statusCode());
          }
          return body;
        });
  }

  private <T> Future<T> cached(Map<String, Cached<T>> cache, String key, Duration ttl, boolean refetch,
      Supplier<Future<T>> fetch) {
    Instant now = clock.instant();
    Cached<T> entry = cache.get(key);
    boolean fresh = entry != null && now.isBefore(entry.fetchedAt().plus(ttl))
        && !(refetch && !now.isBefore(entry.fetchedAt().plus(KEYS_REFETCH_INTERVAL)));
    if (fresh) {
      return entry.value();
    }
    Future<T> value = fetch.get();
    Cached<T> next = new Cached<>(value, now);
    cache.put(key, next);
    value.onFailure(failed -> cache.remove(key, next));
    return value;
  }

  private Future<JsonObject> getJson(String url) {
    return get(url).map(response -> {
      if (response.statusCode() != 200) {
        throw OidcMetadata.unavailable(url + " answered " + response.statusCode());
      }
      return json(response, url);
    });
  }

  private Future<String> getText(String url) {
    return get(url).map(response -> {
      if (response.statusCode() != 200) {
        throw OidcMetadata.unavailable(url + " answered " + response.statusCode());
      }
      Buffer body = response.body();
      return body == null ? "" : body.toString(StandardCharsets.UTF_8);
    });
  }

  private Future<HttpResponse<Buffer>> get(String url) {
    return web.getAbs(url).timeout(TIMEOUT_MILLIS).putHeader("Accept", "application/json").send()
        .recover(failure -> Future.failedFuture(new OtklikException(502, "auth.oidc-unavailable", failure,
            new Object[0])))
        .map(response -> {
          if (response.body() != null && response.body().length() > MAX_BODY_BYTES) {
            throw OidcMetadata.unavailable(url + " answered with " + response.body().length() + " bytes");
          }
          return response;
        });
  }

  private static JsonObject json(HttpResponse<Buffer> response, String url) {
    Buffer body = response.body();
    if (body == null || body.length() > MAX_BODY_BYTES) {
      throw OidcMetadata.unavailable(url + " answered without a usable body");
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw OidcMetadata.unavailable(url + " answered something other than a JSON object");
    }
  }

  private static String formEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Closes the HTTP client. */
  public void close() {
    web.close();
  }
}
