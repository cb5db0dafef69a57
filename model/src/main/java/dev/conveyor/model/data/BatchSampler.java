package dev.conveyor.model.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic batches: epoch e visits the rows in a permutation seeded by (seed, e), and batch s
 * holds the rows at global positions {@code s*batch .. s*batch+batch-1}. The data position is
 * therefore a function of the step, which makes resuming exact.
 */
public final class BatchSampler {

  private final int rows;
  private final int batchSize;
  private final long seed;
  private int cachedEpoch = -1;
  private int[] cachedOrder;

  /** Samples {@code rows} rows in batches of {@code batchSize}. */
  public BatchSampler(int rows, int batchSize, long seed) {
    this.rows = rows;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  /** Row indices of batch {@code step}. */
  public List<Integer> batch(long step) {
    List<Integer> out = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      long position = step * batchSize + i;
      int epoch = (int) (position / rows);
      out.add(order(epoch)[(int) (position % rows)]);
    }
    return out;
  }

  /** Global row position reached after {@code steps} steps. */
  public long position(long steps) {
    return steps * batchSize;
  }

  private int[] order(int epoch) {
    if (epoch != cachedEpoch) {
      int[] order = new int[rows];
      for (int i = 0; i < rows; i++) {
        order[i] = i;
      }
      Random r = new Random(seed * 1_000_003L + epoch);
      for (int i = rows - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      cachedOrder = order;
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }
}
