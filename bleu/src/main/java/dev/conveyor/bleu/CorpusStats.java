package dev.conveyor.bleu;

import java.util.Arrays;

/**
 * Per-segment BLEU sufficient statistics of one system, the input of corpus scores and paired
 * tests: for each segment {@code [hyp_len, ref_len, correct_1..4, total_1..4]}.
 */
public final class CorpusStats {
  /** Number of statistics per segment. */
  public static final int WIDTH = NgramMatcher.STATS;

  private final int[] flat;
  private final int size;
  private final int numRefs;

  CorpusStats(int[] flat, int size, int numRefs) {
    this.flat = flat;
    this.size = size;
    this.numRefs = numRefs;
  }

  /** Number of segments. */
  public int size() {
    return size;
  }

  /** References per segment, or -1 when segments have different numbers of references. */
  public int numRefs() {
    return numRefs;
  }

  /** The statistics of segment {@code i}. */
  public int[] segment(int i) {
    return Arrays.copyOfRange(flat, i * WIDTH, (i + 1) * WIDTH);
  }

  /** Column sums over all segments, as exact integers. */
  public long[] sum() {
    long[] s = new long[WIDTH];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < WIDTH; j++) {
        s[j] += flat[i * WIDTH + j];
      }
    }
    return s;
  }

  int[] flat() {
    return flat;
  }
}
