package dev.conveyor.localstack.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds; tests wait on facts, never on sleeps alone. */
public final class Await {
  /** How long {@link #until(Supplier, String)} waits. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final long POLL_MILLIS = 100;

  private Await() {}

  /** {@link #until(Supplier, Duration, String)} with {@link #DEFAULT_TIMEOUT}. */
  public static <T> T until(Supplier<T> probe, String what) {
    return until(probe, DEFAULT_TIMEOUT, what);
  }

  /**
   * Polls {@code probe} until it yields a value other than {@code null} and {@code false}, and
   * returns it. A probe that throws (service not reachable yet, an assertion not yet true) is
   * polled again; after {@code timeout} this fails naming {@code what}, with the last exception as
   * the cause.
   */
  public static <T> T until(Supplier<T> probe, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (true) {
      try {
        T value = probe.get();
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
      } catch (RuntimeException | AssertionError e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after "
                + timeout.toSeconds()
                + " s waiting for "
                + what
                + (last == null ? "" : " (last failure: " + last + ")"),
            last);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
