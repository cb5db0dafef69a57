package dev.conveyor.serving;

import java.util.function.Supplier;

/** Polls a condition until it yields a value; tests wait on facts, never on sleeps alone. */
final class Await {
  private Await() {}

  static <T> T until(Supplier<T> probe, String what) {
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
