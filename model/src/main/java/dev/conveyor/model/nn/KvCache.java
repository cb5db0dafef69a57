package dev.conveyor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the tokens seen so far, so that incremental decoding feeds
 * only the new token instead of re-encoding the whole sequence.
 *
 * <p>Keys are kept transposed, (batch, heads, headWidth, length), so that the score product reads a
 * contiguous matrix; values are (batch, heads, length, headWidth). Both live in the cache's own
 * manager, which outlives the per-step managers of a generation loop; {@link #close()} frees them.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;

  /** Creates an empty cache for {@code layers} layers under {@code parent}. */
  public KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Number of cached positions (0 when empty). */
  public long length() {
    return keys[0] == null ? 0 : keys[0].getShape().get(3);
  }

  /**
   * Appends the new transposed keys and values of {@code layer} along the time axis and returns the
   * full (cached + new) keys and values.
   */
  NDArray[] append(int layer, NDArray keysT, NDArray v) {
    NDArray fullK = keys[layer] == null ? keysT : keys[layer].concat(keysT, 3);
    NDArray fullV = values[layer] == null ? v : values[layer].concat(v, 2);
    replace(keys, layer, fullK);
    replace(values, layer, fullV);
    return new NDArray[] {fullK, fullV};
  }

  private void replace(NDArray[] slots, int layer, NDArray next) {
    NDArray old = slots[layer];
    if (next != old) {
      next.attach(manager);
      if (old != null) {
        old.close();
      }
    }
    slots[layer] = next;
  }

  @Override
  public void close() {
    manager.close();
  }
}
