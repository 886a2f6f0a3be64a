package dev.otklik.api;

import dev.otklik.api.auth.JwtKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * Settings of the HTTP layer.
 *
 * @param jwt           access-token keys; null switches password sign-in off (503 {@code auth.disabled})
 * @param refreshTtl    lifetime of a refresh token; each refresh starts a new one
 * @param rateLimitPerUserPerMinute   requests a user or API key may make per minute on this node (0 = no limit)
 * @param rateLimitPerTenantPerMinute requests all callers of a tenant may make per minute on this node (0 = no limit)
 * @param clock         the time every store and handler behind the router reads (tests move it)
 * @param webhooksAllowLoopback webhook endpoints may point at loopback addresses (tests only; default false)
 * @param publicUrl     where people reach this desk (links in mail); null: {@code http://localhost:<port>}
 * @param environment   reads an environment variable by name (secrets named in tenant config, such as
 *                      an OIDC provider's {@code client-secret-env}); {@code System::getenv} unless tests give another
 */
public record ApiOptions(
    String host, int port, long bodyLimitBytes, String adminToken, JwtKeys jwt, Duration refreshTtl,
    int rateLimitPerUserPerMinute, int rateLimitPerTenantPerMinute, Clock clock, boolean webhooksAllowLoopback,
    String publicUrl, Function<String, String> environment) {

  public ApiOptions {
    environment = environment == null ? System::getenv : environment;
  }

  /** Reading the process environment. */
  public ApiOptions(String host, int port, long bodyLimitBytes, String adminToken, JwtKeys jwt, Duration refreshTtl,
      int rateLimitPerUserPerMinute, int rateLimitPerTenantPerMinute, Clock clock, boolean webhooksAllowLoopback,
      String publicUrl) {
    this(host, port, bodyLimitBytes, adminToken, jwt, refreshTtl, rateLimitPerUserPerMinute,
        rateLimitPerTenantPerMinute, clock, webhooksAllowLoopback, publicUrl, null);
  }

  /** Webhooks to loopback refused. */
  public ApiOptions(String host, int port, long bodyLimitBytes, String adminToken, JwtKeys jwt, Duration refreshTtl,
      int rateLimitPerUserPerMinute, int rateLimitPerTenantPerMinute, Clock clock) {
    this(host, port, bodyLimitBytes, adminToken, jwt, refreshTtl, rateLimitPerUserPerMinute,
        rateLimitPerTenantPerMinute, clock, false, null);
  }

  /** The base of links to this desk, without a trailing slash. */
  public String linkBase() {
    String base = publicUrl == null ? "http://localhost:" + port : publicUrl;
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  public static final Duration DEFAULT_REFRESH_TTL = Duration.ofDays(14);
  public static final int DEFAULT_RATE_LIMIT_PER_USER_PER_MINUTE = 600;
  public static final int DEFAULT_RATE_LIMIT_PER_TENANT_PER_MINUTE = 6000;

  /** On the system clock. */
  public ApiOptions(String host, int port, long bodyLimitBytes, String adminToken, JwtKeys jwt, Duration refreshTtl,
      int rateLimitPerUserPerMinute, int rateLimitPerTenantPerMinute) {
    this(host, port, bodyLimitBytes, adminToken, jwt, refreshTtl, rateLimitPerUserPerMinute,
        rateLimitPerTenantPerMinute, Clock.systemUTC());
  }

  /** With the default rate limits. */
  public ApiOptions(String host, int port, long bodyLimitBytes, String adminToken, JwtKeys jwt, Duration refreshTtl) {
    this(host, port, bodyLimitBytes, adminToken, jwt, refreshTtl,
        DEFAULT_RATE_LIMIT_PER_USER_PER_MINUTE, DEFAULT_RATE_LIMIT_PER_TENANT_PER_MINUTE);
  }

  /** Without access-token keys: the API serves, but sign-in is refused until keys are configured. */
  public ApiOptions(String host, int port, long bodyLimitBytes, String adminToken) {
    this(host, port, bodyLimitBytes, adminToken, null, DEFAULT_REFRESH_TTL);
  }

  public ApiOptions withClock(Clock clock) {
    return new ApiOptions(host, port, bodyLimitBytes, adminToken, jwt, refreshTtl, rateLimitPerUserPerMinute,
        rateLimitPerTenantPerMinute, clock, webhooksAllowLoopback, publicUrl, environment);
  }

  public ApiOptions withWebhooksAllowLoopback(boolean allow) {
    return new ApiOptions(host, port, bodyLimitBytes, adminToken, jwt, refreshTtl, rateLimitPerUserPerMinute,
        rateLimitPerTenantPerMinute, clock, allow, publicUrl, environment);
  }

  public ApiOptions withPublicUrl(String url) {
    return new ApiOptions(host, port, bodyLimitBytes, adminToken, jwt, refreshTtl, rateLimitPerUserPerMinute,
        rateLimitPerTenantPerMinute, clock, webhooksAllowLoopback, url, environment);
  }

  /** Reading environment variables (secrets named in tenant config) through {@code environment} instead. */
  public ApiOptions withEnvironment(Function<String, String> environment) {
    return new ApiOptions(host, port, bodyLimitBytes, adminToken, jwt, refreshTtl, rateLimitPerUserPerMinute,
        rateLimitPerTenantPerMinute, clock, webhooksAllowLoopback, publicUrl, environment);
  }
}
