package dev.otklik.realtime;

import dev.otklik.api.auth.AccessTokens.AccessClaims;
import dev.otklik.core.ticket.TicketWorkflow;
import dev.otklik.realtime.EventFeed.FeedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One socket. Everything here runs on the socket's event loop ({@link #context}); signals from the
 * event bus are handed over with {@code runOnContext}.
 *
 * <p>Delivery keeps one cursor: the last tenant sequence the session has dealt with (sent, or
 * filtered out). Signals only raise a target; a pump reads {@code (cursor, target]} from
 * {@code ticket_event} in order and advances the cursor row by row, so nothing is sent twice and
 * nothing is skipped. On subscribe the session joins the tenant's consumer FIRST, then reads the
 * current maximum and replays up to it; signals that arrive meanwhile just raise the target (the
 * "buffer"), and are drained from the database afterwards. A signal for a row not yet visible is
 * retried shortly: the database decides.
 *
 * <p>Sending is bounded: at most {@link StreamOptions#maxQueuedFrames()} frames in flight (written,
 * not yet flushed to the socket). When full, the pump pauses (nothing is lost: the cursor stays);
 * if it is still full after {@link StreamOptions#slowConsumerGrace()}, the socket is closed with
 * {@link StreamCloseCodes#SLOW_CONSUMER}.
 */
final class StreamSession {

  private static final int PAGE = 200;
  private static final long NOT_VISIBLE_RETRY_MS = 25;

  /** What one subscription covers: the tenant's queue, one request, or the caller's own. */
  record Subscription(String scope, String number) {
    JsonObject toJson() {
      JsonObject json = new JsonObject().put("scope", scope);
      return number == null ? json : json.put("number", number);
    }
  }

  private final StreamGateway gateway;
  private final Context context;
  private final ServerWebSocket ws;
  private final AccessClaims claims;
  private final long expiresAt;
  private final EventFeed feed;
  private final StreamOptions options;
  private final Clock clock;
  private final boolean staff;

  private List<Subscription> subscriptions = List.of();
  private boolean subscribed;
  private boolean subscribing;
  private long cursor;
  private long target;
  private boolean fetching;
  private boolean retryScheduled;
  private int inFlight;
  private boolean paused;
  private long graceTimer = -1;
  private long heartbeatTimer = -1;
  private long expiryTimer = -1;
  private long lastSeen;
  private boolean closed;

  StreamSession(StreamGateway gateway, Context context, ServerWebSocket ws, AccessClaims claims, long expiresAt,
      EventFeed feed, StreamOptions options, Clock clock) {
    this.gateway = gateway;
    this.context = context;
    this.ws = ws;
    this.claims = claims;
    this.expiresAt = expiresAt;
    this.feed = feed;
    this.options = options;
    this.clock = clock;
    this.staff = TicketWorkflow.isStaff(claims.role());
  }

  /** The session ({@code sid}) of the socket's access token; null for tokens of no session. */
  java.util.UUID sessionId() {
    return claims.sessionId();
  }

  String tenantId() {
    return claims.tenantId();
  }

  void start() {
    lastSeen = clock.millis();
    ws.textMessageHandler(this::onText);
    ws.pongHandler(b -> lastSeen = clock.millis());
    ws.closeHandler(v -> release());
    ws.exceptionHandler(e -> release());
    var vertx = context.owner();
    heartbeatTimer = vertx.setPeriodic(options.heartbeatInterval().toMillis(), id -> heartbeat());
    if (expiresAt != Long.MAX_VALUE) {
      expiryTimer = vertx.setTimer(Math.max(1, expiresAt - clock.millis()),
          id -> close(StreamCloseCodes.TOKEN_EXPIRED, "token expired"));
    }
    send(new JsonObject().put("type", "welcome").put("tenant", claims.tenantId()).put("role", claims.role().code()));
  }

  /** From any thread: a signal that the tenant's event {@code sequence} committed. */
  void signal(long sequence) {
    context.runOnContext(v -> {
      if (sequence > target) {
        target = sequence;
      }
      pump();
    });
  }

  /** From any thread. */
  void closeFromOutside(short code, String reason) {
    context.runOnContext(v -> close(code, reason));
  }

  private void onText(String text) {
    lastSeen = clock.millis();
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException e) {
      error("stream.frame-invalid", "a frame must be a JSON object");
      return;
    }
    switch (String.valueOf(frame.getValue("type"))) {
      case "subscribe" -> subscribe(frame);
      case "ping" -> send(new JsonObject().put("type", "pong"));
      default -> error("stream.frame-unknown", "unknown frame type");
    }
  }

  /**
   * {@code {type:"subscribe", subscriptions:[{scope:"queue"|"mine"|"ticket", number?}], after?}}. A
   * later subscribe replaces the subscriptions and keeps the cursor; {@code after} counts only on
   * the first.
   */
  private void subscribe(JsonObject frame) {
    if (subscribing) {
      error("stream.subscribe-pending", "the previous subscribe is still being processed");
      return;
    }
    List<Subscription> wanted = new ArrayList<>();
    JsonArray list = frame.getValue("subscriptions") instanceof JsonArray a ? a : new JsonArray().add(frame);
    for (Object item : list) {
      if (!(item instanceof JsonObject s) || !(s.getValue("scope") instanceof String scope)) {
        error("stream.subscription-invalid", "each subscription needs a scope");
        return;
      }
      String number = s.getValue("number") instanceof String n ? n : null;
      switch (scope) {
        case "queue" -> {
          if (!staff) {
            error("stream.queue-staff-only", "only staff may follow the tenant's queue");
            return;
          }
        }
        case "mine" -> { }
        case "ticket" -> {
          if (number == null || number.isBlank()) {
            error("stream.subscription-invalid", "a ticket subscription needs a number");
            return;
          }
        }
        default -> {
          error("stream.subscription-invalid", "unknown scope " + scope);
          return;
        }
      }
      wanted.add(new Subscription(scope, number));
    }
    Long after = frame.getValue("after") instanceof Number n ? n.longValue() : null;
    subscribing = true;
    checkTickets(wanted).compose(visible -> {
      if (!visible) {
        error("ticket.not-found", "no such request");
        return Future.succeededFuture();
      }
      if (subscribed) {
        subscriptions = List.copyOf(wanted);
        send(subscribedFrame(cursor));
        return Future.succeededFuture();
      }
      return db(gateway.join(this)).compose(joined -> db(feed.maxSequence(tenantId()))).compose(max -> startFrom(after, max)
          .map(start -> {
            if (closed) {
              return null;
            }
            subscriptions = List.copyOf(wanted);
            subscribed = true;
            cursor = start;
            if (max > target) {
              target = max;
            }
            send(subscribedFrame(start).put("sequence", max));
            pump();
            return null;
          }));
    }).onComplete(ar -> {
      subscribing = false;
      if (ar.failed()) {
        error("stream.unavailable", "could not subscribe; try again");
      }
    });
  }

  private JsonObject subscribedFrame(long from) {
    JsonArray subs = new JsonArray();
    subscriptions.forEach(s -> subs.add(s.toJson()));
    return new JsonObject().put("type", "subscribed").put("subscriptions", subs).put("after", from);
  }

  /** Where delivery starts: the resume point if it is still replayable, else the current max (resync-required). */
  private Future<Long> startFrom(Long after, long max) {
    if (after == null || after >= max) {
      if (after != null && after > max) {
        send(resync(max, "unknown sequence"));
      }
      return Future.succeededFuture(max);
    }
    if (after < 0 || max - after > options.maxReplayEvents()) {
      send(resync(max, "too many missed events"));
      return Future.succeededFuture(max);
    }
    return db(feed.firstAfter(tenantId(), after)).map(first -> {
      OffsetDateTime oldest = first.orElse(null);
      if (oldest != null && oldest.toInstant().isBefore(clock.instant().minus(options.retention()))) {
        send(resync(max, "missed events are older than the retention"));
        return max;
      }
      return after;
    });
  }

  private static JsonObject resync(long max, String reason) {
    return new JsonObject().put("type", "resync-required").put("sequence", max).put("reason", reason);
  }

  /** A customer may name only their organisations' requests and the ones they watch; a request they cannot see does not exist. */
  private Future<Boolean> checkTickets(List<Subscription> wanted) {
    Future<Boolean> all = Future.succeededFuture(true);
    for (Subscription s : wanted) {
      if (!"ticket".equals(s.scope())) {
        continue;
      }
      all = all.compose(ok -> !ok ? Future.succeededFuture(false)
          : db(feed.ticketScope(tenantId(), s.number(), claims.userId()))
              .map(t -> t.isPresent() && (staff || claims.organisationIds().contains(t.get().organisationId())
                  || t.get().watching())));
    }
    return all;
  }

  private void pump() {
    if (closed || !subscribed || fetching || paused || retryScheduled || cursor >= target) {
      return;
    }
    fetching = true;
    long upTo = target;
    db(feed.range(tenantId(), cursor, upTo, PAGE)).onComplete(ar -> {
      fetching = false;
      if (closed) {
        return;
      }
      if (ar.failed()) {
        retryLater(1000);
        return;
      }
      for (FeedEvent e : ar.result()) {
        if (e.sequence() <= cursor) {
          continue;
        }
        if (visible(e)) {
          if (queueFull()) {
            pause();
            return;
          }
          sendText(e.frame());
        }
        cursor = e.sequence();
        if (closed) {
          return;
        }
      }
      if (ar.result().isEmpty() && cursor < upTo) {
        retryLater(NOT_VISIBLE_RETRY_MS); // signalled before it is visible here: ask the database again soon
      } else {
        pump();
      }
    });
  }

  private void retryLater(long millis) {
    retryScheduled = true;
    context.owner().setTimer(millis, id -> {
      retryScheduled = false;
      pump();
    });
  }

  /**
   * The same rule as the REST API: staff see everything subscribed; customers the public events of
   * their organisations' requests and of the requests they watch.
   */
  private boolean visible(FeedEvent e) {
    if (!staff && (!e.isPublic() || !(claims.organisationIds().contains(e.organisationId())
        || e.watcherIds().contains(claims.userId())))) {
      return false;
    }
    for (Subscription s : subscriptions) {
      boolean match = switch (s.scope()) {
        case "queue" -> true;
        case "ticket" -> s.number().equals(e.number());
        case "mine" -> staff ? claims.userId().equals(e.assigneeId()) : true;
        default -> false;
      };
      if (match) {
        return true;
      }
    }
    return false;
  }

  private boolean queueFull() {
    return inFlight >= options.maxQueuedFrames() || ws.writeQueueFull();
  }

  private void pause() {
    paused = true;
    if (graceTimer < 0) {
      graceTimer = context.owner().setTimer(options.slowConsumerGrace().toMillis(), id -> {
        graceTimer = -1;
        if (paused) {
          gateway.countSlowConsumer();
          close(StreamCloseCodes.SLOW_CONSUMER, "slow consumer: send queue full");
        }
      });
    }
  }

  private void send(JsonObject frame) {
    sendText(frame.encode());
  }

  private void sendText(String frame) {
    if (closed) {
      return;
    }
    inFlight++;
    ws.writeTextMessage(frame).onComplete(ar -> {
      inFlight--;
      if (paused && !closed && inFlight <= options.maxQueuedFrames() / 2 && !ws.writeQueueFull()) {
        paused = false;
        if (graceTimer >= 0) {
          context.owner().cancelTimer(graceTimer);
          graceTimer = -1;
        }
        pump();
      }
    });
  }

  private void error(String code, String message) {
    send(new JsonObject().put("type", "error").put("code", code).put("message", message));
  }

  private void heartbeat() {
    if (closed) {
      return;
    }
    if (clock.millis() - lastSeen > options.idleTimeout().toMillis()) {
      close(StreamCloseCodes.IDLE, "no pong within the idle timeout");
      return;
    }
    ws.writePing(Buffer.buffer("hb"));
  }

  private void close(short code, String reason) {
    if (closed) {
      return;
    }
    release();
    ws.close(code, reason);
  }

  /** Frees timers and the tenant subscription; idempotent. */
  private void release() {
    if (closed) {
      return;
    }
    closed = true;
    var vertx = context.owner();
    for (long timer : new long[] {heartbeatTimer, expiryTimer, graceTimer}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
    gateway.leave(this);
  }

  /** Continues on this socket's event loop, whichever thread completed {@code f} (the pool may be another Vert.x's). */
  private <T> Future<T> db(Future<T> f) {
    Promise<T> here = Promise.promise();
    f.onComplete(ar -> context.runOnContext(v -> here.handle(ar)));
    return here.future();
  }
}
