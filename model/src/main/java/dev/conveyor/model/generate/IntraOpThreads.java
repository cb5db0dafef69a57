package dev.conveyor.model.generate;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Intra-op threads per forward, chosen by the work it does. A decode step of a few rows is a chain
 * of tiny kernels whose OpenMP regions cost more than they save (with two threads on a busy 2-core
 * machine a 128-element GELU took 250-700 us instead of 10 us); such steps run on one thread, and
 * larger ones (prefills, re-encoding, wide batches) on the engine's count. Both decoding paths
 * (with and without the KV cache) use the same rule.
 *
 * <p>libtorch keeps the count per calling thread (OpenMP ICV, MKL local threads) plus a global
 * default that threads read once, on their first parallel op: it is restored after every call that
 * changed it. {@code -Dconveyor.generate.small-step-rows=0} turns the rule off.
 */
final class IntraOpThreads {

  /** Forwards feeding fewer token rows (batch x tokens) than this run on one thread. */
  static final int SMALL_STEP_ROWS = Integer.getInteger("conveyor.generate.small-step-rows", 32);

  private final int normal;
  private int current;

  IntraOpThreads() {
    normal = JniUtils.getNumThreads();
    current = normal;
  }

  /** Sets the count for a forward feeding {@code rows} token rows. */
  void forRows(int rows) {
    int wanted = rows < SMALL_STEP_ROWS ? 1 : normal;
    if (wanted != current) {
      JniUtils.setNumThreads(wanted);
      current = wanted;
    }
  }

  /** Puts back the count this thread had. */
  void restore() {
    if (current != normal) {
      JniUtils.setNumThreads(normal);
      current = normal;
    }
  }
}
