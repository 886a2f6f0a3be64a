package dev.otklik.api;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.api.auth.AuthGuard;
import dev.otklik.core.OtklikException;
import dev.otklik.store.IdempotencyStore;
import dev.otklik.store.IdempotencyStore.Claim;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} on POSTs that create things. Put it on a route after the auth guard and
 * before the creating handler:
 *
 * <pre>
 * router.post("/api/v1/tenants/:tenantId/requests").handler(idempotency::handle).handler(requests::create);
 * </pre>
 *
 * and have the creating handler answer with {@link #respond(RoutingContext, int, JsonObject)}
 * (headers such as {@code Location} and {@code ETag} set on the response before it are kept).
 *
 * <p>Without the header the request passes untouched. With it, the first request claims the key
 * for (tenant, caller, key) in PostgreSQL and runs; {@code respond} records its response durably
 * before sending it. A retry with the same key, method, path and body gets the recorded response
 * again (with {@code Idempotent-Replayed: true}) and creates nothing; the same key with another
 * body is 422 {@code request.idempotency-key-reused}; a retry while the first still runs is 409
 * {@code request.in-progress}. A first request that fails releases the key, so errors are not
 * replayed and a corrected retry runs. Keys live for 24 hours.
 *
 * <p>If the node dies after the creating transaction committed but before the response was
 * recorded, the key stays claimed until it expires and retries get 409: the safe side, since
 * running the request again could create a duplicate.
 */
public final class IdempotencyHandler {

  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyHandler.class);
  private static final String PENDING = "otklik.idempotency";
  private static final Pattern SANE_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  /** Response headers worth replaying; the rest (date, request id) belong to each answer. */
  private static final List<String> KEPT_HEADERS = List.of("Location", "ETag", "Content-Type", "Cache-Control");

  private final IdempotencyStore store;

  public IdempotencyHandler(IdempotencyStore store) {
    this.store = store;
  }

  /** A claimed key whose response has not been recorded yet. */
  private final class Pending {
    final String tenantId;
    final AccessClaims caller;
    final String key;
    boolean settled;

    Pending(AccessClaims caller, String key) {
      this.tenantId = caller.tenantId();
      this.caller = caller;
      this.key = key;
    }

    IdempotencyStore store() {
      return store;
    }
  }

  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader(HEADER);
    if (key == null) {
      ctx.next();
      return;
    }
    if (!SANE_KEY.matcher(key).matches()) {
      throw OtklikException.badRequest("request.idempotency-key-invalid");
    }
    AccessClaims caller = AuthGuard.principal(ctx);
    store.claim(caller.tenantId(), caller.userId(), key, requestHash(ctx))
        .onSuccess(claim -> {
          if (claim instanceof Claim.Completed done) {
            replay(ctx, done);
          } else if (claim instanceof Claim.Mismatch) {
            ctx.fail(new OtklikException(422, "request.idempotency-key-reused", key));
          } else if (claim instanceof Claim.InProgress) {
            ctx.fail(new OtklikException(409, "request.in-progress", key));
          } else {
            proceed(ctx, new Pending(caller, key));
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * Sends a creating handler's JSON response; behind this handler, records it first, so a retry
   * gets the same answer. Also fine on routes without idempotency.
   */
  public static void respond(RoutingContext ctx, int status, JsonObject body) {
    HttpServerResponse response = ctx.response();
    response.putHeader("Content-Type", "application/json; charset=utf-8");
    String encoded = body.encode();
    Pending pending = ctx.get(PENDING);
    if (pending == null) {
      response.setStatusCode(status).end(encoded);
      return;
    }
    JsonObject headers = new JsonObject();
    KEPT_HEADERS.forEach(h -> {
      if (response.headers().contains(h)) {
        headers.put(h, response.headers().get(h));
      }
    });
    pending.settled = true;
    pending.store().complete(pending.tenantId, pending.caller.userId(), pending.key, status, headers, encoded)
        .onComplete(recorded -> {
          if (recorded.failed()) {
            // The thing was created: say so. The key stays claimed, so a retry gets 409, not a duplicate.
            LOG.warn("request {}: could not record the response of idempotency key {}", RequestIds.of(ctx),
                pending.key, recorded.cause());
          }
          response.setStatusCode(status).end(encoded);
        });
  }

  /**
   * For the failure handler: releases the key of a request that failed before the problem is
   * written, so a client that corrects its body and retries at once with the same key is not told
   * the key was used (the end handler below would release it only after the answer left).
   */
  static io.vertx.core.Future<Void> releaseOnFailure(RoutingContext ctx) {
    Pending pending = ctx.get(PENDING);
    if (pending == null || pending.settled) {
      return io.vertx.core.Future.succeededFuture();
    }
    pending.settled = true;
    return pending.store().release(pending.tenantId, pending.caller.userId(), pending.key)
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("request {}: could not release idempotency key {}", RequestIds.of(ctx), pending.key, e);
          return io.vertx.core.Future.succeededFuture();
        });
  }

  private void proceed(RoutingContext ctx, Pending pending) {
    ctx.put(PENDING, pending);
    ctx.addEndHandler(ended -> {
      if (pending.settled) {
        return;
      }
      pending.settled = true;
      if (ctx.response().getStatusCode() < 400) {
        LOG.warn("request {}: {} answered without IdempotencyHandler.respond; its key is released",
            RequestIds.of(ctx), ctx.request().path());
      }
      store.release(pending.tenantId, pending.caller.userId(), pending.key)
          .onFailure(e -> LOG.warn("request {}: could not release idempotency key {}", RequestIds.of(ctx), pending.key, e));
    });
    ctx.next();
  }

  private static void replay(RoutingContext ctx, Claim.Completed done) {
    HttpServerResponse response = ctx.response();
    if (done.headers() != null) {
      done.headers().forEach(h -> response.putHeader(h.getKey(), String.valueOf(h.getValue())));
    }
    response.putHeader(REPLAYED_HEADER, "true").setStatusCode(done.status())
        .end(done.body() == null ? "" : done.body());
  }

  /** Method, path and body: the same key with any of them different is another request. */
  static String requestHash(RoutingContext ctx) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((ctx.request().method().name() + " " + ctx.request().path() + "\n").getBytes(StandardCharsets.UTF_8));
      Buffer body = ctx.body().buffer();
      if (body != null) {
        sha.update(body.getBytes());
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
