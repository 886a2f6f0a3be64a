package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.core.OtklikException;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Request-rate limits on tenant-scoped routes, after the auth guard: one token bucket per caller
 * (user or API key) and one per tenant. A bucket holds a minute's worth of requests and refills
 * continuously, so a burst up to the limit passes and the steady rate is the limit per minute.
 * A request takes a token from both; when either is empty it is refused with 429
 * {@code request.rate-limited} and {@code Retry-After} in whole seconds until the next token.
 * A limit of 0 switches that bucket off.
 *
 * <p><b>The limits are per node.</b> Buckets live in this JVM's memory, shared by the node's HTTP
 * verticle instances; a cluster of N nodes behind a balancer admits up to N times the limit. That
 * is acceptable for now: the limits protect each node and the database from a runaway client or
 * tenant, not bill by exact count, and a cluster-wide count would put a network round trip (or a
 * database write) in front of every request. Should exact limits be needed, the buckets can move
 * to a shared counter with the same interface.
 */
public final class RateLimitHandler {

  private static final long NANOS_PER_MINUTE = TimeUnit.MINUTES.toNanos(1);
  /** Sweep idle buckets after this many requests, so the map does not grow with every caller ever seen. */
  private static final int SWEEP_EVERY = 4096;

  private final Buckets buckets;

  private RateLimitHandler(Buckets buckets) {
    this.buckets = buckets;
  }

  /** The node's limiter: every HTTP verticle instance of one Vert.x gets the same buckets. */
  public static RateLimitHandler forNode(Vertx vertx, int perUserPerMinute, int perTenantPerMinute) {
    Buckets shared = vertx.sharedData().<String, Buckets>getLocalMap("otklik.rate-limits")
        .computeIfAbsent(perUserPerMinute + "/" + perTenantPerMinute,
            ignored -> new Buckets(perUserPerMinute, perTenantPerMinute, System::nanoTime));
    return new RateLimitHandler(shared);
  }

  /** A limiter with its own buckets and clock, for tests. */
  static RateLimitHandler withClock(int perUserPerMinute, int perTenantPerMinute, LongSupplier nanoTime) {
    return new RateLimitHandler(new Buckets(perUserPerMinute, perTenantPerMinute, nanoTime));
  }

  public void limit(RoutingContext ctx) {
    AccessClaims caller = AuthGuard.principal(ctx);
    if (admit(ctx, caller.tenantId(), caller.userId().toString())) {
      ctx.next();
    }
  }

  /**
   * For a route without a signed-in caller (a survey link): takes a token for {@code callerId} and
   * for the tenant; false, with the request already failed with 429 and {@code Retry-After}, when
   * either bucket is empty.
   */
  public boolean admit(RoutingContext ctx, String tenantId, String callerId) {
    long waitNanos = buckets.acquire(tenantId, callerId);
    if (waitNanos > 0) {
      long seconds = Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
      ctx.response().putHeader("Retry-After", Long.toString(seconds));
      ctx.fail(new OtklikException(429, "request.rate-limited", seconds));
      return false;
    }
    return true;
  }

  /** The buckets of one node. Thread-safe: HTTP verticles on several event loops share it. */
  static final class Buckets implements Shareable {
    private final int perUser;
    private final int perTenant;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, TokenBucket> byKey = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    Buckets(int perUser, int perTenant, LongSupplier nanoTime) {
      if (perUser < 0 || perTenant < 0) {
        throw new IllegalArgumentException("rate limits cannot be negative");
      }
      this.perUser = perUser;
      this.perTenant = perTenant;
      this.nanoTime = nanoTime;
    }

    /** 0 when the request may pass (tokens taken), else nanoseconds until it could. */
    long acquire(String tenantId, String callerId) {
      long now = nanoTime.getAsLong();
      if (requests.incrementAndGet() % SWEEP_EVERY == 0) {
        byKey.values().removeIf(bucket -> bucket.isFull(now));
      }
      TokenBucket user = perUser == 0 ? null : byKey.computeIfAbsent("u:" + tenantId + ":" + callerId,
          k -> new TokenBucket(perUser, now));
      TokenBucket tenant = perTenant == 0 ? null : byKey.computeIfAbsent("t:" + tenantId,
          k -> new TokenBucket(perTenant, now));
      long userWait = user == null ? 0 : user.take(now);
      if (userWait > 0) {
        return userWait;
      }
      long tenantWait = tenant == null ? 0 : tenant.take(now);
      if (tenantWait > 0 && user != null) {
        user.giveBack();
      }
      return tenantWait;
    }
  }

  /** Capacity {@code perMinute} tokens, refilled at {@code perMinute} per minute. */
  static final class TokenBucket {
    private final int capacity;
    private final double nanosPerToken;
    private double tokens;
    private long updatedAt;

    TokenBucket(int perMinute, long now) {
      this.capacity = perMinute;
      this.nanosPerToken = (double) NANOS_PER_MINUTE / perMinute;
      this.tokens = perMinute;
      this.updatedAt = now;
    }

    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) * nanosPerToken);
    }

    synchronized void giveBack() {
      tokens = Math.min(capacity, tokens + 1);
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      if (now > updatedAt) {
        tokens = Math.min(capacity, tokens + (now - updatedAt) / nanosPerToken);
        updatedAt = now;
      }
    }
  }
}
