package dev.otklik.bench;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Repeats a timed run and keeps the median, after warm-up rounds the JIT may spend as it likes.
 * Each run returns a checksum that is printed, so the work cannot be optimised away.
 */
final class Measure {

  static final int WARMUP_ROUNDS = 3;
  static final int ROUNDS = 7;

  /** Median nanoseconds of one run. */
  record Result(long medianNanos, long minNanos, long maxNanos, long checksum) {}

  private Measure() {}

  static Result median(LongSupplier run) {
    long checksum = 0;
    for (int i = 0; i < WARMUP_ROUNDS; i++) {
      checksum += run.getAsLong();
    }
    long[] times = new long[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      long start = System.nanoTime();
      checksum += run.getAsLong();
      times[i] = System.nanoTime() - start;
    }
    Arrays.sort(times);
    return new Result(times[ROUNDS / 2], times[0], times[ROUNDS - 1], checksum);
  }
}
