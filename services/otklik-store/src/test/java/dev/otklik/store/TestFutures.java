package dev.otklik.store;

import dev.otklik.core.OtklikException;
import io.vertx.core.Future;

/** Awaiting futures that are expected to fail. */
public final class TestFutures {

  private TestFutures() {}

  /** Waits for {@code future} and returns why it failed, or null if it succeeded. */
  public static Throwable failureOf(Future<?> future) {
    return future.transform(ar -> Future.succeededFuture(ar.cause())).await();
  }

  /** Waits for {@code future}, which must fail with an {@link OtklikException}, and returns it. */
  public static OtklikException problemOf(Future<?> future) {
    Throwable failure = failureOf(future);
    if (failure instanceof OtklikException problem) {
      return problem;
    }
    throw new AssertionError("expected an OtklikException but got " + failure, failure);
  }
}
