package dev.conveyor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;

/**
 * Keys and values of every layer for the tokens seen so far, so that incremental decoding feeds
 * only the new token instead of re-encoding the whole sequence.
 *
 * <p>Keys are kept transposed, (batch, heads, headWidth, length), so that the score product reads a
 * contiguous matrix; values are (batch, heads, length, headWidth). Two modes:
 *
 * <ul>
 *   <li><b>growable</b> ({@link #KvCache(NDManager, int)}): every forward appends its keys and
 *       values along the time axis (a concat), the whole batch at once;
 *   <li><b>preallocated</b> ({@link #preallocated}): one buffer of {@code slots x capacity} columns
 *       per layer, written in place. Before each forward the caller says where the new keys go and
 *       which columns are attended ({@link #planStep}, {@link #planPrefill}); no array grows and
 *       rows of a batch may join and leave (see {@code generate.DecodeSession}).
 * </ul>
 *
 * Arrays live in the cache's own manager, which outlives the per-step managers of a generation
 * loop; {@link #close()} frees them.
 */
public final class KvCache implements AutoCloseable {

  private static final long[] STEP = {1, 1, 1, 1};

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final boolean preallocated;
  private final int heads;
  private final int headWidth;
  private int slots;
  private final int capacity;
  // the plan of the next forward (preallocated mode)
  private boolean prefill;
  private int planRows;
  private int planColumn;
  private int readFrom;
  private long[] prefillSlots;

  /** Creates an empty growable cache for {@code layers} layers under {@code parent}. */
  public KvCache(NDManager parent, int layers) {
    this(parent, layers, false, 0, 0, 0, 0);
  }

  private KvCache(
      NDManager parent,
      int layers,
      boolean preallocated,
      int heads,
      int headWidth,
      int slots,
      int capacity) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.preallocated = preallocated;
    this.heads = heads;
    this.headWidth = headWidth;
    this.slots = slots;
    this.capacity = capacity;
    if (preallocated) {
      for (int l = 0; l < layers; l++) {
        // zeros, not garbage: unwritten columns are masked, and 0 * -1e9 must not be NaN
        keys[l] = manager.zeros(new Shape(slots, heads, headWidth, capacity), DataType.FLOAT32);
        values[l] = manager.zeros(new Shape(slots, heads, capacity, headWidth), DataType.FLOAT32);
      }
    }
  }

  /**
   * A preallocated cache of {@code slots} rows and {@code capacity} columns per layer, written in
   * place.
   */
  public static KvCache preallocated(
      NDManager parent, ModelConfig config, int slots, int capacity) {
    return new KvCache(
        parent,
        config.layers(),
        true,
        config.heads(),
        config.width() / config.heads(),
        slots,
        capacity);
  }

  /** Number of cached positions of a growable cache (0 when empty); the capacity otherwise. */
  public long length() {
    if (preallocated) {
      return capacity;
    }
    return keys[0] == null ? 0 : keys[0].getShape().get(3);
  }

  /** True for a preallocated cache. */
  public boolean isPreallocated() {
    return preallocated;
  }

  /** Rows of a preallocated cache. */
  public int slots() {
    return slots;
  }

  /** Columns of a preallocated cache. */
  public int capacity() {
    return capacity;
  }

  /**
   * Plans a decode step: the next forward feeds one token for each of slots {@code 0..rows-1},
   * written at {@code column}; queries attend columns {@code from..column}.
   */
  public void planStep(int rows, int column, int from) {
    checkPreallocated();
    prefill = false;
    planRows = rows;
    planColumn = column;
    readFrom = from;
  }

  /**
   * Plans a prefill: the next forward feeds {@code t} tokens for each of {@code slots}, written at
   * columns {@code end-t..end-1}; queries attend only these new tokens (a fresh prompt).
   */
  public void planPrefill(long[] slots, int end) {
    checkPreallocated();
    prefill = true;
    prefillSlots = slots.clone();
    planColumn = end;
  }

  /** Grows a preallocated cache to {@code newSlots} rows, keeping the content. */
  public void growSlots(int newSlots) {
    checkPreallocated();
    if (newSlots <= slots) {
      return;
    }
    for (int l = 0; l < keys.length; l++) {
      keys[l] = grown(keys[l], new Shape(newSlots, heads, headWidth, capacity));
      values[l] = grown(values[l], new Shape(newSlots, heads, capacity, headWidth));
    }
    slots = newSlots;
  }

  private NDArray grown(NDArray old, Shape shape) {
    NDArray next = manager.zeros(shape, DataType.FLOAT32);
    next.set(new NDIndex("0:" + slots), old);
    old.close();
    return next;
  }

  /**
   * Moves columns {@code from..from+count-1} of every row to {@code 0..count-1} (the caller
   * compacts when the buffer is full; the ranges must not overlap).
   */
  public void shiftLeft(int from, int count) {
    checkPreallocated();
    for (int l = 0; l < keys.length; l++) {
      try (NDArray k = keys[l].get(new NDIndex().addAllDim(3).addSliceDim(from, from + count));
          NDArray v = values[l].get(new NDIndex().addAllDim(2).addSliceDim(from, from + count))) {
        keys[l].set(new NDIndex().addAllDim(3).addSliceDim(0, count), k);
        values[l].set(new NDIndex().addAllDim(2).addSliceDim(0, count), v);
      }
    }
  }

  /**
   * Stores the new transposed keys (b, heads, headWidth, t) and values (b, heads, t, headWidth) of
   * {@code layer} and returns the keys and values the queries attend.
   */
  NDArray[] append(int layer, NDArray keysT, NDArray v) {
    if (!preallocated) {
      NDArray fullK = keys[layer] == null ? keysT : keys[layer].concat(keysT, 3);
      NDArray fullV = values[layer] == null ? v : values[layer].concat(v, 2);
      replace(keys, layer, fullK);
      replace(values, layer, fullV);
      return new NDArray[] {fullK, fullV};
    }
    NDArray k = keys[layer];
    NDArray val = values[layer];
    if (prefill) {
      long t = keysT.getShape().get(3);
      long start = planColumn - t;
      for (int i = 0; i < prefillSlots.length; i++) {
        long s = prefillSlots[i];
        put(k, keysT.get(i), s, 0, 0, start, s + 1, heads, headWidth, planColumn);
        put(val, v.get(i), s, 0, start, 0, s + 1, heads, planColumn, headWidth);
      }
      return new NDArray[] {keysT, v};
    }
    // one column for every row, in place; then views of the attended columns
    int end = planColumn + 1;
    put(k, keysT, 0, 0, 0, planColumn, planRows, heads, headWidth, end);
    put(val, v, 0, 0, planColumn, 0, planRows, heads, end, headWidth);
    NDManager step = keysT.getManager();
    return new NDArray[] {
      view(k, step, 0, 0, 0, readFrom, planRows, heads, headWidth, end),
      view(val, step, 0, 0, readFrom, 0, planRows, heads, end, headWidth)
    };
  }

  /** {@code target[min..max) = value} (4-d, broadcasting), one native call on PyTorch. */
  private static void put(NDArray target, NDArray value, long... bounds) {
    long[] min = Arrays.copyOfRange(bounds, 0, 4);
    long[] max = Arrays.copyOfRange(bounds, 4, 8);
    if (target instanceof PtNDArray t && value instanceof PtNDArray v) {
      JniUtils.indexSet(t, v, min, max, STEP);
    } else {
      target.set(index(min, max), value);
    }
  }

  /** The view {@code a[min..max)} (4-d), owned by {@code manager}. */
  private static NDArray view(NDArray a, NDManager manager, long... bounds) {
    long[] min = Arrays.copyOfRange(bounds, 0, 4);
    long[] max = Arrays.copyOfRange(bounds, 4, 8);
    if (a instanceof PtNDArray p && manager instanceof PtNDManager m) {
      return JniUtils.index(p, min, max, STEP, m);
    }
    NDArray out = a.get(index(min, max));
    out.attach(manager);
    return out;
  }

  private static NDIndex index(long[] min, long[] max) {
    NDIndex i = new NDIndex();
    for (int d = 0; d < min.length; d++) {
      i.addSliceDim(min[d], max[d]);
    }
    return i;
  }

  private void checkPreallocated() {
    if (!preallocated) {
      throw new IllegalStateException("not a preallocated cache");
    }
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
