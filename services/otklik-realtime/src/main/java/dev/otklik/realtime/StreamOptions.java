package dev.otklik.realtime;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the WebSocket gateway.
 *
 * @param retention         a resume whose first missed event is older than this gets {@code resync-required}
 * @param maxReplayEvents   a resume missing more events than this gets {@code resync-required}
 * @param maxQueuedFrames   frames written but not yet flushed to the socket before the session stops sending
 * @param slowConsumerGrace how long the queue may stay full before the socket is closed with 4008
 * @param heartbeatInterval how often the server pings
 * @param idleTimeout       a socket with no pong (or any frame) for this long is closed with 4002
 */
public record StreamOptions(Duration retention, int maxReplayEvents, int maxQueuedFrames, Duration slowConsumerGrace,
    Duration heartbeatInterval, Duration idleTimeout) {

  public static final StreamOptions DEFAULTS = new StreamOptions(Duration.ofDays(7), 10_000, 256,
      Duration.ofSeconds(10), Duration.ofSeconds(25), Duration.ofSeconds(75));

  public StreamOptions {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(slowConsumerGrace, "slowConsumerGrace");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxReplayEvents < 1 || maxQueuedFrames < 1 || heartbeatInterval.toMillis() < 1 || idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("stream limits must be positive");
    }
  }

  public StreamOptions withMaxReplayEvents(int n) {
    return new StreamOptions(retention, n, maxQueuedFrames, slowConsumerGrace, heartbeatInterval, idleTimeout);
  }

  public StreamOptions withRetention(Duration d) {
    return new StreamOptions(d, maxReplayEvents, maxQueuedFrames, slowConsumerGrace, heartbeatInterval, idleTimeout);
  }

  public StreamOptions withQueue(int frames, Duration grace) {
    return new StreamOptions(retention, maxReplayEvents, frames, grace, heartbeatInterval, idleTimeout);
  }
}
