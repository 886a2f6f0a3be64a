package dev.otklik.webhooks;

import dev.otklik.core.EventBusAddresses;
import dev.otklik.store.WebhookStore;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook messages (DESIGN.md, "How data flows" 4). Every {@code pollInterval} it goes
 * through the tenants and, per endpoint with due deliveries, claims as many as the endpoint has
 * free slots ({@code perEndpoint} in flight per node) and sends them without waiting: a slow or
 * hanging endpoint fills only its own slots, and every attempt ends within {@code timeout}. The
 * store keeps per-request order (a delivery is not claimed while an earlier one of the same
 * request is pending for that endpoint) and at-least-once delivery (a claim is a lease; a node
 * that dies leaves the row to be claimed again, with the same {@code webhook-id}).
 *
 * <p>Outcomes: 2xx delivered; 410 gone (endpoint switched off); 429 retried after
 * {@code Retry-After}; anything else (status, timeout, refused address, connection error)
 * retried on {@link RetrySchedule} and given up after its last attempt. Each attempt goes to the
 * delivery log. Every hour, log rows older than 30 days are deleted. Besides polling, a signal on
 * a tenant's event address ({@link EventBusAddresses#tenantEvents}, published after each commit)
 * starts a pass at once.
 */
public final class WebhookDispatcherVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcherVerticle.class);
  private static final int LOGGED_BODY_BYTES = WebhookStore.LOGGED_BODY_CHARS;

  private final WebhookStore store;
  private final Supplier<Collection<String>> tenantIds;
  private final WebhookOptions options;
  private final Function<String, String> env;
  private final Clock clock;
  private final RetrySchedule schedule;
  private final AddressGuard guard;
  private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, MessageConsumer<Object>> signals = new HashMap<>();
  private HttpClient client;
  private long periodic = -1;
  private long cleanupTimer = -1;
  private boolean ticking;
  private boolean again;
  private volatile boolean stopped;

  public WebhookDispatcherVerticle(WebhookStore store, Supplier<Collection<String>> tenantIds,
      WebhookOptions options) {
    this(store, tenantIds, options, System::getenv, new RetrySchedule(() -> ThreadLocalRandom.current().nextDouble()));
  }

  /**
   * @param env      reads the environment variables config endpoints name for their secrets
   * @param schedule retry waits (tests fix the jitter)
   */
  public WebhookDispatcherVerticle(WebhookStore store, Supplier<Collection<String>> tenantIds, WebhookOptions options,
      Function<String, String> env, RetrySchedule schedule) {
    this.store = Objects.requireNonNull(store, "store");
    this.tenantIds = Objects.requireNonNull(tenantIds, "tenantIds");
    this.options = Objects.requireNonNull(options, "options");
    this.env = Objects.requireNonNull(env, "env");
    this.clock = store.clock();
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.guard = new AddressGuard(options.allowLoopback());
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout((int) options.timeout().toMillis())
            .setKeepAlive(true)
            .setTrustAll(false)
            .setVerifyHost(true),
        new PoolOptions().setHttp1MaxSize(Math.max(options.perEndpoint(), 1)));
    periodic = vertx.setPeriodic(options.pollInterval().toMillis(), id -> tick());
    cleanupTimer = vertx.setPeriodic(Duration.ofHours(1).toMillis(), id -> cleanup());
    tick();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(periodic);
    vertx.cancelTimer(cleanupTimer);
    return client == null ? Future.succeededFuture() : client.close();
  }

  /** One pass: claim what is due for every endpoint with free slots, and send it. */
  Future<Void> tick() {
    if (stopped) {
      return Future.succeededFuture();
    }
    if (ticking) {
      again = true;
      return Future.succeededFuture();
    }
    ticking = true;
    List<Future<Void>> all = new ArrayList<>();
    for (String tenantId : tenantIds.get()) {
      // A change committed on this node signals its tenant's address: look at once, not at the next poll.
      signals.computeIfAbsent(tenantId, id -> vertx.eventBus().localConsumer(EventBusAddresses.tenantEvents(id),
          message -> tick()));
      all.add(claimTenant(tenantId).recover(e -> {
        LOG.warn("Webhooks of tenant {} could not be claimed: {}", tenantId, e.getMessage());
        return Future.succeededFuture();
      }));
    }
    return Future.join(all).<Void>mapEmpty().onComplete(ar -> {
      ticking = false;
      if (again) {
        again = false;
        vertx.runOnContext(v -> tick());
      }
    });
  }

  private Future<Void> claimTenant(String tenantId) {
    return store.dueEndpoints(tenantId).compose(endpoints -> {
      List<Future<Void>> all = new ArrayList<>();
      for (UUID endpointId : endpoints) {
        AtomicInteger busy = inFlight.computeIfAbsent(endpointId, k -> new AtomicInteger());
        int free = options.perEndpoint() - busy.get();
        if (free <= 0) {
          continue;
        }
        all.add(store.claim(tenantId, endpointId, free, options.lease()).map(claimed -> {
          claimed.ifPresent(batch -> batch.getValue().forEach(d -> {
            busy.incrementAndGet();
            attempt(tenantId, batch.getKey(), d)
                .compose(result -> store.record(tenantId, result).onSuccess(r -> {
                  if (r.endpointDisabled()) {
                    LOG.warn("Webhook endpoint {} of tenant {} switched off: {}", d.endpointId(), tenantId,
                        r.reason());
                  }
                }))
                .onFailure(e -> LOG.warn("Webhook delivery {} of tenant {} not recorded (the lease will run out and"
                    + " it goes again): {}", d.id(), tenantId, e.getMessage()))
                .onComplete(ar -> {
                  busy.decrementAndGet();
                  tick();
                });
          }));
          return null;
        }));
      }
      return Future.join(all).mapEmpty();
    });
  }

  /** Sends one delivery and says what became of it; never fails. */
  Future<WebhookStore.AttemptResult> attempt(String tenantId, WebhookStore.Endpoint endpoint,
      WebhookStore.Claimed d) {
    String body = WebhookMessages.body(d);
    long started = System.nanoTime();
    List<String> secrets;
    try {
      secrets = secrets(endpoint);
    } catch (IllegalStateException e) {
      return Future.succeededFuture(failed(d, endpoint, body, null, null, e.getMessage(), started, null));
    }
    return vertx.executeBlocking(() -> guard.check(endpoint.url()), false)
        .compose(target -> send(target, d, body, secrets, started, endpoint),
            e -> Future.succeededFuture(failed(d, endpoint, body, null, null,
                e instanceof AddressGuard.Refused r ? "refused: " + r.getMessage() : String.valueOf(e.getMessage()),
                started, null)));
  }

  private List<String> secrets(WebhookStore.Endpoint e) {
    List<String> out = new ArrayList<>();
    String current = e.secret();
    if (current == null && e.secretEnv() != null) {
      current = env.apply(e.secretEnv());
      if (current == null || current.isBlank()) {
        throw new IllegalStateException("the environment variable " + e.secretEnv() + " is not set");
      }
      current = current.strip();
    }
    if (!WebhookSigner.isValidSecret(current)) {
      throw new IllegalStateException("the endpoint's secret is not a whsec_ secret of 24 to 64 bytes");
    }
    out.add(current);
    if (e.previousSecret() != null && e.previousSecretUntil() != null
        && e.previousSecretUntil().toInstant().isAfter(clock.instant())) {
      out.add(e.previousSecret());
    }
    return out;
  }

  private Future<WebhookStore.AttemptResult> send(AddressGuard.Target target, WebhookStore.Claimed d, String body,
      List<String> secrets, long started, WebhookStore.Endpoint endpoint) {
    Promise<WebhookStore.AttemptResult> done = Promise.promise();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    String id = d.id().toString();
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setURI(target.pathAndQuery())
        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
        .setFollowRedirects(false)
        .setConnectTimeout(options.timeout().toMillis())
        .putHeader("content-type", "application/json")
        .putHeader("user-agent", "Otklik-Webhooks/1")
        .putHeader("webhook-id", id)
        .putHeader("webhook-timestamp", Long.toString(timestamp))
        .putHeader("webhook-signature", WebhookSigner.signatures(secrets, id, timestamp, bytes));
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(options.timeout().toMillis(), t -> {
      if (done.tryComplete(failed(d, endpoint, body, null, null,
          "timeout: no answer within " + options.timeout().toSeconds() + " s", started, null)) && sent[0] != null) {
        sent[0].reset();
      }
    });
    client.request(request).onComplete(ar -> {
      if (ar.failed()) {
        vertx.cancelTimer(timer);
        done.tryComplete(failed(d, endpoint, body, null, null, "connection: " + ar.cause().getMessage(), started,
            null));
        return;
      }
      HttpClientRequest req = ar.result();
      sent[0] = req;
      if (done.future().isComplete()) {
        req.reset();
        return;
      }
      req.send(Buffer.buffer(bytes)).onComplete(resp -> {
        if (resp.failed()) {
          vertx.cancelTimer(timer);
          done.tryComplete(failed(d, endpoint, body, null, null, "connection: " + resp.cause().getMessage(), started,
              null));
          return;
        }
        var response = resp.result();
        int status = response.statusCode();
        String retryAfter = response.getHeader("retry-after");
        Buffer head = Buffer.buffer();
        Runnable finish = () -> {
          vertx.cancelTimer(timer);
          String text = head.length() > LOGGED_BODY_BYTES
              ? head.getBuffer(0, LOGGED_BODY_BYTES).toString(StandardCharsets.UTF_8)
              : head.toString(StandardCharsets.UTF_8);
          if (done.tryComplete(outcome(d, endpoint, body, status, text, retryAfter, started))) {
            req.reset(); // no need for the rest of a long body; closes the stream if it is still open
          }
        };
        // A receiver that sends its status but trickles the body: the status decides; give the
        // first bytes at most a second more, then stop reading.
        long bodyTimer = vertx.setTimer(1000, t -> finish.run());
        response.handler(chunk -> {
          if (head.length() <= LOGGED_BODY_BYTES) {
            head.appendBuffer(chunk);
          }
          if (head.length() > LOGGED_BODY_BYTES) {
            vertx.cancelTimer(bodyTimer);
            finish.run();
          }
        });
        response.endHandler(v -> {
          vertx.cancelTimer(bodyTimer);
          finish.run();
        });
        response.exceptionHandler(e -> {
          vertx.cancelTimer(bodyTimer);
          finish.run();
        });
      });
    });
    return done.future();
  }

  private WebhookStore.AttemptResult outcome(WebhookStore.Claimed d, WebhookStore.Endpoint e, String body, int status,
      String responseBody, String retryAfter, long started) {
    long latency = (System.nanoTime() - started) / 1_000_000;
    if (status >= 200 && status < 300) {
      return new WebhookStore.AttemptResult(d, e.url(), body, status, responseBody, null, latency,
          WebhookStore.Verdict.DELIVERED, null);
    }
    if (status == 410) {
      return new WebhookStore.AttemptResult(d, e.url(), body, status, responseBody, "410 Gone: endpoint switched off",
          latency, WebhookStore.Verdict.GONE, null);
    }
    Duration wait = status == 429 ? RetrySchedule.retryAfter(retryAfter, clock.instant()).orElse(null) : null;
    return failed(d, e, body, status, responseBody, "HTTP " + status, started, wait);
  }

  private WebhookStore.AttemptResult failed(WebhookStore.Claimed d, WebhookStore.Endpoint e, String body,
      Integer status, String responseBody, String error, long started, Duration retryAfter) {
    long latency = (System.nanoTime() - started) / 1_000_000;
    var wait = retryAfter != null && d.attempt() < RetrySchedule.maxAttempts()
        ? java.util.Optional.of(retryAfter) : schedule.after(d.attempt());
    if (wait.isEmpty()) {
      return new WebhookStore.AttemptResult(d, e.url(), body, status, responseBody, error + " (last attempt)",
          latency, WebhookStore.Verdict.GIVE_UP, null);
    }
    OffsetDateTime next = OffsetDateTime.ofInstant(clock.instant().plus(wait.get()), ZoneOffset.UTC);
    return new WebhookStore.AttemptResult(d, e.url(), body, status, responseBody, error, latency,
        WebhookStore.Verdict.RETRY, next);
  }

  private void cleanup() {
    for (String tenantId : tenantIds.get()) {
      store.cleanup(tenantId).onFailure(e -> LOG.warn("Webhook log cleanup of tenant {} failed: {}", tenantId,
          e.getMessage()));
    }
  }
}
