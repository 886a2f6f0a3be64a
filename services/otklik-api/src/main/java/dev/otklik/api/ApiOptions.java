package dev.otklik.api;

import dev.otklik.api.auth.JwtKeys;
import java.time.Duration;

/**
 * Settings of the HTTP layer.
 *
 * @param jwt           access-token keys; null switches password sign-in off (503 {@code auth.disabled})
 * @param refreshTtl    lifetime of a refresh token; each refresh starts a new one
 */
public record ApiOptions(
    String host, int port, long bodyLimitBytes, String adminToken, JwtKeys jwt, Duration refreshTtl) {

  public static final Duration DEFAULT_REFRESH_TTL = Duration.ofDays(14);

  /** Without access-token keys: the API serves, but sign-in is refused until keys are configured. */
  public ApiOptions(String host, int port, long bodyLimitBytes, String adminToken) {
    this(host, port, bodyLimitBytes, adminToken, null, DEFAULT_REFRESH_TTL);
  }
}
