package dev.otklik.webhooks;

import java.time.Duration;

/**
 * Settings of the dispatcher.
 *
 * @param pollInterval       how often due deliveries are looked for
 * @param timeout            the whole attempt (connect, headers, first body bytes)
 * @param perEndpoint        attempts in flight per endpoint on one node
 * @param lease              how long a claimed delivery is left to this node before another may take it
 * @param allowLoopback      deliver to loopback addresses (tests only)
 * @param rotationOverlap    how long an old secret keeps signing after a rotation
 */
public record WebhookOptions(Duration pollInterval, Duration timeout, int perEndpoint, Duration lease,
    boolean allowLoopback, Duration rotationOverlap) {

  public static final WebhookOptions DEFAULTS = new WebhookOptions(Duration.ofMillis(500), Duration.ofSeconds(15), 4,
      Duration.ofSeconds(60), false, Duration.ofHours(24));

  public WebhookOptions withAllowLoopback(boolean allow) {
    return new WebhookOptions(pollInterval, timeout, perEndpoint, lease, allow, rotationOverlap);
  }

  public WebhookOptions withPollInterval(Duration interval) {
    return new WebhookOptions(interval, timeout, perEndpoint, lease, allowLoopback, rotationOverlap);
  }

  public WebhookOptions withTimeout(Duration t) {
    return new WebhookOptions(pollInterval, t, perEndpoint, lease, allowLoopback, rotationOverlap);
  }
}
