package dev.otklik.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * Drives one scenario against a server: closed loop (a fixed number of requests in flight, for
 * the most a server does) or open loop (requests at fixed intended times, for latency at a given
 * rate). Open-loop latency counts from the intended send time, so a stalled server shows as
 * queueing delay instead of hiding it (no coordinated omission). Everything runs on one Vert.x
 * context, so the histogram needs no locking.
 */
final class Load {

  /** One scenario's figures. Latencies in microseconds. */
  record Result(String name, long ok, long errors, double seconds, Histogram latency) {
    double perSecond() {
      return ok / seconds;
    }

    double millis(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private Load() {}

  /** {@code call} sends request number {@code i} and completes with its HTTP status. */
  static Result closedLoop(Vertx vertx, String name, LongFunction<Future<Integer>> call, int concurrency,
      Duration duration) {
    Context context = vertx.getOrCreateContext();
    Promise<Result> done = Promise.promise();
    context.runOnContext(v -> {
      Histogram h = new Histogram(60_000_000L, 3);
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long[] counts = new long[3]; // next index, ok, errors
      int[] inFlight = {0};
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (System.nanoTime() >= end) {
          if (inFlight[0] == 0) {
            done.tryComplete(new Result(name, counts[1], counts[2], (System.nanoTime() - start) / 1e9, h));
          }
          return;
        }
        long sent = System.nanoTime();
        inFlight[0]++;
        call.apply(counts[0]++).onComplete(ar -> {
          inFlight[0]--;
          if (ar.succeeded() && ar.result() < 400) {
            counts[1]++;
            h.recordValue(Math.min((System.nanoTime() - sent) / 1000, h.getHighestTrackableValue()));
          } else {
            counts[2]++;
          }
          next[0].run();
        });
      };
      for (int i = 0; i < concurrency; i++) {
        next[0].run();
      }
    });
    return done.future().await();
  }

  /** Sends at {@code ratePerSecond} for {@code duration}, then waits for the answers still due. */
  static Result openLoop(Vertx vertx, String name, LongFunction<Future<Integer>> call, int ratePerSecond,
      Duration duration) {
    Context context = vertx.getOrCreateContext();
    Promise<Result> done = Promise.promise();
    context.runOnContext(v -> {
      Histogram h = new Histogram(60_000_000L, 3);
      long start = System.nanoTime();
      long total = duration.toSeconds() * ratePerSecond;
      double interval = 1e9 / ratePerSecond;
      long[] counts = new long[4]; // sent, ok, errors, answered
      long timer = vertx.setPeriodic(1, id -> {
        long due = Math.min(total, (long) ((System.nanoTime() - start) / interval) + 1);
        while (counts[0] < due) {
          long i = counts[0]++;
          long intended = start + (long) (i * interval);
          call.apply(i).onComplete(ar -> {
            counts[3]++;
            if (ar.succeeded() && ar.result() < 400) {
              counts[1]++;
              h.recordValue(Math.min(Math.max(0, System.nanoTime() - intended) / 1000, h.getHighestTrackableValue()));
            } else {
              counts[2]++;
            }
            if (counts[3] == total) {
              done.tryComplete(new Result(name, counts[1], counts[2], (System.nanoTime() - start) / 1e9, h));
            }
          });
        }
        if (counts[0] == total) {
          vertx.cancelTimer(id);
        }
      });
      vertx.setTimer(duration.toMillis() + 60_000, id -> {
        vertx.cancelTimer(timer);
        done.tryComplete(new Result(name, counts[1], counts[2] + (total - counts[3]),
            (System.nanoTime() - start) / 1e9, h));
      });
    });
    return done.future().await();
  }
}
