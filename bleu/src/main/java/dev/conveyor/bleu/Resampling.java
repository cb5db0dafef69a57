package dev.conveyor.bleu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bootstrap resampling shared by both paired tests, on sacreBLEU's float32 statistics. */
final class Resampling {
  private Resampling() {}

  /**
   * Scores of {@code nSamples} bootstrap resamples for each system, all drawn with the same indices
   * from {@code rng}, as sacreBLEU does with {@code stats_np[idxs].sum(0)} on float32 arrays.
   */
  static double[][] bootstrapScores(
      Bleu bleu, List<CorpusStats> systems, int nSamples, NumpyRandom rng) {
    int n = systems.get(0).size();
    int w = CorpusStats.WIDTH;
    int k = systems.size();
    float[][] stats = new float[k][];
    for (int s = 0; s < k; s++) {
      int[] flat = systems.get(s).flat();
      stats[s] = new float[flat.length];
      for (int i = 0; i < flat.length; i++) {
        stats[s][i] = flat[i];
      }
    }
    double[][] scores = new double[k][nSamples];
    float[] sum = new float[w];
    int[] idx = new int[n];
    Scorer scorer = new Scorer(bleu, BleuMath.Storage.FLOAT32);
    for (int sample = 0; sample < nSamples; sample++) {
      rng.fillIndices(n, idx);
      for (int s = 0; s < k; s++) {
        sum(stats[s], idx, sum);
        scores[s][sample] = scorer.score(sum);
      }
    }
    return scores;
  }

  /**
   * {@code stats[idx].sum(0)} in float32: numpy adds the rows one after another, so do we, to round
   * identically; the ten columns live in locals because this loop is the whole cost of a test.
   */
  private static void sum(float[] st, int[] idx, float[] out) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    float s8 = 0;
    float s9 = 0;
    for (int i : idx) {
      int b = i * 10;
      s0 += st[b];
      s1 += st[b + 1];
      s2 += st[b + 2];
      s3 += st[b + 3];
      s4 += st[b + 4];
      s5 += st[b + 5];
      s6 += st[b + 6];
      s7 += st[b + 7];
      s8 += st[b + 8];
      s9 += st[b + 9];
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
    out[4] = s4;
    out[5] = s5;
    out[6] = s6;
    out[7] = s7;
    out[8] = s8;
    out[9] = s9;
  }

  static void checkSizes(CorpusStats baseline, Map<String, CorpusStats> systems) {
    if (systems.isEmpty()) {
      throw new IllegalArgumentException(
          "paired tests need at least one system besides the baseline");
    }
    for (Map.Entry<String, CorpusStats> e : systems.entrySet()) {
      if (e.getValue().size() != baseline.size()) {
        throw new IllegalArgumentException(
            "system '"
                + e.getKey()
                + "' has "
                + e.getValue().size()
                + " lines but the baseline has "
                + baseline.size());
      }
    }
  }

  static Map<String, CorpusStats> stats(
      Bleu bleu, Map<String, List<String>> systems, ReferenceSet refs) {
    Map<String, CorpusStats> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : systems.entrySet()) {
      out.put(e.getKey(), bleu.corpusStats(e.getValue(), refs));
    }
    return out;
  }

  /** Scores summed statistics without allocating, for the resampling loops. */
  static final class Scorer {
    private final Bleu bleu;
    private final BleuMath.Storage storage;
    private final boolean eff;
    private final double smoothValue;
    private final double[] correct = new double[NgramMatcher.ORDER];
    private final double[] total = new double[NgramMatcher.ORDER];
    private final double[] precisions = new double[NgramMatcher.ORDER];

    Scorer(Bleu bleu, BleuMath.Storage storage) {
      this.bleu = bleu;
      this.storage = storage;
      this.eff = bleu.corpusEffectiveOrder();
      this.smoothValue = bleu.smoothValueOrDefault();
    }

    double score(float[] sum) {
      int o = NgramMatcher.ORDER;
      for (int i = 0; i < o; i++) {
        correct[i] = sum[2 + i];
        total[i] = sum[2 + o + i];
      }
      // sacreBLEU takes int() of the float32 lengths.
      return BleuMath.score(
          (long) sum[0],
          (long) sum[1],
          correct,
          total,
          bleu.smoothing(),
          smoothValue,
          eff,
          storage,
          precisions);
    }

    double score(long[] sum) {
      int o = NgramMatcher.ORDER;
      for (int i = 0; i < o; i++) {
        correct[i] = sum[2 + i];
        total[i] = sum[2 + o + i];
      }
      return BleuMath.score(
          sum[0], sum[1], correct, total, bleu.smoothing(), smoothValue, eff, storage, precisions);
    }
  }
}
