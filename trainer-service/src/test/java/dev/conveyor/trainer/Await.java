package dev.conveyor.trainer;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it yields a value; tests wait on facts, never on sleeps alone. */
final class Await {
  private Await() {}

  static <T> T until(Supplier<T> probe, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
  }
}
