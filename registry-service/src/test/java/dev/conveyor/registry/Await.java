package dev.conveyor.registry;

import java.util.function.Supplier;

/** Polls a condition until it yields a value; tests wait on facts, never on sleeps alone. */
public final class Await {
  private Await() {}

  public static <T> T until(Supplier<T> probe, String what) {
    return until(probe, what, 60);
  }

  public static <T> T until(Supplier<T> probe, String what, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = probe.get();
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
      } catch (RuntimeException | AssertionError e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out waiting for " + what, last);
  }
}
