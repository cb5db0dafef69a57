package dev.conveyor.bleu;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Computes one segment's BLEU statistics from token ids: {@code [hyp_len, ref_len, correct_1..4,
 * total_1..4]}, as sacreBLEU's {@code _compute_segment_statistics}.
 *
 * <p>Tokens are renumbered per segment from 1, so up to four of them pack into one long whose
 * magnitude also tells the n-gram order; counting then runs on primitive hash maps instead of
 * hashing tuples of strings.
 */
final class NgramMatcher {
  static final int ORDER = 4;
  static final int STATS = 2 + 2 * ORDER;
  private static final int MAX_LOCAL = (1 << 16) - 1;

  private int[] localOf = new int[1024];
  private int[] stampOf = new int[1024];
  private int stamp;
  private int[] hypLocal = new int[64];
  private int[][] refLocal = new int[1][64];
  private final LongCounter refMax = new LongCounter();
  private final LongCounter refOne = new LongCounter();
  private final LongCounter hypCounts = new LongCounter();
  boolean forceGeneric;

  void segment(int[] hyp, int[][] refs, int vocabularySize, int[] out, int off) {
    segment(hyp, hyp.length, refs, vocabularySize, out, off);
  }

  /** Writes the statistics of {@code hyp[0..hypLen)} against {@code refs} to {@code out[off..]}. */
  void segment(int[] hyp, int hypLen, int[][] refs, int vocabularySize, int[] out, int off) {
    out[off] = hypLen;
    out[off + 1] = closestRefLen(hypLen, refs);
    for (int k = 1; k <= ORDER; k++) {
      out[off + 1 + ORDER + k] = Math.max(0, hypLen - k + 1);
    }
    if (forceGeneric || !renumber(hyp, hypLen, refs, vocabularySize)) {
      generic(Arrays.copyOf(hyp, hypLen), refs, out, off);
      return;
    }
    LongCounter ref;
    if (refs.length == 1) {
      ref = refOne;
      count(refLocal[0], refs[0].length, ref);
    } else {
      int most = 0;
      for (int[] r : refs) {
        most += r.length;
      }
      refMax.reset(ORDER * most);
      for (int r = 0; r < refs.length; r++) {
        count(refLocal[r], refs[r].length, refOne);
        for (int i = 0; i < refOne.size(); i++) {
          refMax.max(refOne.keyAt(i), refOne.countAt(i));
        }
      }
      ref = refMax;
    }
    count(hypLocal, hypLen, hypCounts);
    int[] correct = new int[ORDER + 1];
    for (int i = 0; i < hypCounts.size(); i++) {
      long key = hypCounts.keyAt(i);
      int r = ref.get(key);
      if (r > 0) {
        correct[order(key)] += Math.min(r, hypCounts.countAt(i));
      }
    }
    for (int k = 1; k <= ORDER; k++) {
      out[off + 1 + k] = correct[k];
    }
  }

  // Local ids are at least 1, so an n-gram's key lies in [2^(16(n-1)), 2^(16n)), or is negative.
  private static int order(long key) {
    if (key < 0 || key >= 1L << 48) {
      return 4;
    }
    return key >= 1L << 32 ? 3 : key >= 1L << 16 ? 2 : 1;
  }

  private static void count(int[] local, int len, LongCounter into) {
    into.reset(ORDER * len);
    for (int i = 0; i < len; i++) {
      long key = 0;
      for (int k = 0; k < ORDER && i + k < len; k++) {
        key = (key << 16) | local[i + k];
        into.increment(key);
      }
    }
  }

  /** sacreBLEU's {@code _get_closest_ref_len}: the nearest length, the shorter one on a tie. */
  static int closestRefLen(int hypLen, int[][] refs) {
    int closestDiff = -1;
    int closestLen = -1;
    for (int[] ref : refs) {
      int diff = Math.abs(hypLen - ref.length);
      if (closestDiff == -1 || diff < closestDiff) {
        closestDiff = diff;
        closestLen = ref.length;
      } else if (diff == closestDiff && ref.length < closestLen) {
        closestLen = ref.length;
      }
    }
    return closestLen;
  }

  private boolean renumber(int[] hyp, int hypLen, int[][] refs, int vocabularySize) {
    if (localOf.length < vocabularySize) {
      int cap = Math.max(vocabularySize, localOf.length * 2);
      localOf = Arrays.copyOf(localOf, cap);
      stampOf = Arrays.copyOf(stampOf, cap);
    }
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(stampOf, 0);
      stamp = 1;
    }
    if (refLocal.length < refs.length) {
      int old = refLocal.length;
      refLocal = Arrays.copyOf(refLocal, refs.length);
      for (int r = old; r < refs.length; r++) {
        refLocal[r] = new int[64];
      }
    }
    int next = 1;
    for (int r = 0; r < refs.length; r++) {
      int[] ref = refs[r];
      if (refLocal[r].length < ref.length) {
        refLocal[r] = new int[Math.max(ref.length, refLocal[r].length * 2)];
      }
      int[] loc = refLocal[r];
      for (int i = 0; i < ref.length; i++) {
        int t = ref[i];
        if (stampOf[t] != stamp) {
          stampOf[t] = stamp;
          localOf[t] = next++;
        }
        loc[i] = localOf[t];
      }
    }
    if (hypLocal.length < hypLen) {
      hypLocal = new int[Math.max(hypLen, hypLocal.length * 2)];
    }
    for (int i = 0; i < hypLen; i++) {
      int t = hyp[i];
      if (stampOf[t] != stamp) {
        stampOf[t] = stamp;
        localOf[t] = next++;
      }
      hypLocal[i] = localOf[t];
    }
    return next - 1 <= MAX_LOCAL;
  }

  /** The same counts through string-keyed maps, for segments with over 65535 distinct tokens. */
  private static void generic(int[] hyp, int[][] refs, int[] out, int off) {
    for (int k = 1; k <= ORDER; k++) {
      Map<String, Integer> refMax = new HashMap<>();
      for (int[] ref : refs) {
        Map<String, Integer> counts = ngrams(ref, k);
        counts.forEach((g, c) -> refMax.merge(g, c, Math::max));
      }
      Map<String, Integer> hypCounts = ngrams(hyp, k);
      int correct = 0;
      for (Map.Entry<String, Integer> e : hypCounts.entrySet()) {
        correct += Math.min(e.getValue(), refMax.getOrDefault(e.getKey(), 0));
      }
      out[off + 1 + k] = correct;
    }
  }

  private static Map<String, Integer> ngrams(int[] tokens, int k) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i + k <= tokens.length; i++) {
      StringBuilder key = new StringBuilder();
      for (int j = 0; j < k; j++) {
        key.append(tokens[i + j]).append(',');
      }
      counts.merge(key.toString(), 1, Integer::sum);
    }
    return counts;
  }
}
