package dev.otklik.api.oidc;

import dev.otklik.core.OtklikException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What Otklik uses of a provider's discovery document
 * ({@code <issuer>/.well-known/openid-configuration}).
 *
 * @param tokenAuthMethods {@code token_endpoint_auth_methods_supported}; empty when the document
 *                         does not say (the specification's default is {@code client_secret_basic})
 */
public record OidcMetadata(String issuer, String authorizationEndpoint, String tokenEndpoint, String jwksUri,
    List<String> tokenAuthMethods) {

  public OidcMetadata {
    tokenAuthMethods = List.copyOf(tokenAuthMethods);
  }

  /**
   * Reads a discovery document. Its {@code issuer} must equal the configured issuer exactly
   * (OpenID Connect Discovery 4.3); the endpoints must be absolute http(s) URLs. Fails with 502
   * {@code auth.oidc-unavailable} otherwise.
   */
  static OidcMetadata parse(JsonObject document, String expectedIssuer) {
    String issuer = document.getValue("issuer") instanceof String s ? s : null;
    if (!expectedIssuer.equals(issuer)) {
      throw unavailable("discovery issuer " + issuer + " is not the configured " + expectedIssuer);
    }
    List<String> methods = new ArrayList<>();
    if (document.getValue("token_endpoint_auth_methods_supported") instanceof JsonArray a) {
      a.forEach(m -> {
        if (m instanceof String s) {
          methods.add(s);
        }
      });
    }
    return new OidcMetadata(issuer, url(document, "authorization_endpoint"), url(document, "token_endpoint"),
        document.getValue("jwks_uri") == null ? null : url(document, "jwks_uri"), methods);
  }

  /** True when the token endpoint takes the client secret in the form rather than in Basic authentication. */
  boolean prefersSecretInForm() {
    return !tokenAuthMethods.isEmpty() && !tokenAuthMethods.contains("client_secret_basic")
        && tokenAuthMethods.contains("client_secret_post");
  }

  static String url(JsonObject document, String field) {
    Object value = document.getValue(field);
    if (!(value instanceof String s) || !isHttpUrl(s)) {
      throw unavailable("discovery field " + field + " is not an absolute http(s) URL");
    }
    return s;
  }

  static boolean isHttpUrl(String s) {
    try {
      URI uri = new URI(s);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static OtklikException unavailable(String why) {
    return new OtklikException(502, "auth.oidc-unavailable", new IllegalStateException(why), new Object[0]);
  }
}
