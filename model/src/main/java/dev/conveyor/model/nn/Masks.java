package dev.conveyor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks: 0 where a query may attend a key, a large negative number elsewhere.
 */
public final class Masks {

  /** Added to blocked scores; exp() of it underflows to exactly 0 in float32. */
  public static final float BLOCKED = -1e9f;

  private Masks() {}

  /** Causal mask of shape (1, 1, t, t): query i sees keys 0..i. */
  public static NDArray causal(NDManager manager, int t) {
    NDArray keysAfterQuery = manager.arange(t).reshape(1, t).gt(manager.arange(t).reshape(t, 1));
    return keysAfterQuery.toType(DataType.FLOAT32, false).mul(BLOCKED).reshape(1, 1, t, t);
  }

  /**
   * Key-padding mask of shape (batch, 1, 1, keys) from {@code valid[b][j]}: false marks padding
   * that no query may attend.
   */
  public static NDArray keyPadding(NDManager manager, boolean[][] valid, int keys) {
    float[] data = new float[valid.length * keys];
    for (int b = 0; b < valid.length; b++) {
      for (int j = 0; j < keys; j++) {
        data[b * keys + j] = valid[b][j] ? 0f : BLOCKED;
      }
    }
    return manager.create(data, new Shape(valid.length, 1, 1, keys));
  }
}
