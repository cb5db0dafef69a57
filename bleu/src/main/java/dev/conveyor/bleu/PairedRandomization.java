package dev.conveyor.bleu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * sacreBLEU's paired approximate randomization test ({@code --paired-ar}), after Riezler and
 * Maxwell (2005) and multeval, with numpy's random draws reproduced so that p-values equal
 * sacreBLEU's.
 */
public final class PairedRandomization {
  /** sacreBLEU's default number of trials. */
  public static final int DEFAULT_TRIALS = 10000;

  private PairedRandomization() {}

  /**
   * Tests each system against the baseline, all scored against {@code refStreams}; {@code
   * nConfidence} bootstrap resamples estimate each system's interval (0 or less: none, as
   * sacreBLEU's command line).
   */
  public static PairedResult run(
      Bleu bleu,
      List<String> baseline,
      Map<String, List<String>> systems,
      List<? extends List<String>> refStreams,
      int nTrials,
      int nConfidence,
      long seed) {
    ReferenceSet refs = bleu.references(refStreams);
    return run(
        bleu,
        bleu.corpusStats(baseline, refs),
        Resampling.stats(bleu, systems, refs),
        nTrials,
        nConfidence,
        seed);
  }

  /** Tests each system against the baseline from precomputed statistics. */
  public static PairedResult run(
      Bleu bleu,
      CorpusStats baseline,
      Map<String, CorpusStats> systems,
      int nTrials,
      int nConfidence,
      long seed) {
    Resampling.checkSizes(baseline, systems);
    if (nTrials <= 0) {
      throw new IllegalArgumentException("number of trials must be positive, got " + nTrials);
    }
    int n = baseline.size();
    int w = CorpusStats.WIDTH;
    int k = systems.size();
    List<CorpusStats> sys = new ArrayList<>(systems.values());
    double baselineScore = bleu.score(baseline).score();
    long[] blTotal = baseline.sum();
    long[][] sysTotal = new long[k][];
    double[] realDiff = new double[k];
    double[] sysScore = new double[k];
    int[][] delta = new int[k][];
    int[] bl = baseline.flat();
    for (int s = 0; s < k; s++) {
      sysTotal[s] = sys.get(s).sum();
      sysScore[s] = bleu.score(sys.get(s)).score();
      realDiff[s] = Math.abs(baselineScore - sysScore[s]);
      int[] st = sys.get(s).flat();
      delta[s] = new int[bl.length];
      for (int i = 0; i < bl.length; i++) {
        delta[s][i] = bl[i] - st[i];
      }
    }
    // Every system's test reseeds, so they all see the same baseline/system swaps.
    NumpyRandom rng = new NumpyRandom(seed);
    NumpyRandom.BoolStream bits = rng.bools();
    boolean[] pos = new boolean[n];
    long[] a = new long[w];
    long[] b = new long[w];
    int[] count = new int[k];
    Resampling.Scorer scorer = new Resampling.Scorer(bleu, BleuMath.Storage.INT64);
    for (int t = 0; t < nTrials; t++) {
      for (int i = 0; i < n; i++) {
        pos[i] = bits.next();
      }
      for (int s = 0; s < k; s++) {
        // Pseudo-system A takes the baseline's segment where the bit is set, the system's
        // elsewhere.
        addSelected(delta[s], pos, sysTotal[s], a);
        for (int j = 0; j < w; j++) {
          b[j] = blTotal[j] + sysTotal[s][j] - a[j];
        }
        double scoreA = scorer.score(a);
        double scoreB = scorer.score(b);
        if (Math.abs(scoreA - scoreB) > realDiff[s]) {
          count[s]++;
        }
      }
    }
    SystemResult blResult = new SystemResult(baselineScore, null, null, null);
    double[][] sysCi = null;
    if (nConfidence > 0) {
      double[] blScores =
          Resampling.bootstrapScores(bleu, List.of(baseline), nConfidence, new NumpyRandom(seed))[
              0];
      double[] ci = NumpyStats.estimateCi(blScores);
      blResult = new SystemResult(baselineScore, ci[0], ci[1], null);
      // The systems' intervals use the draws that follow the swaps in the same stream.
      double[][] scores = Resampling.bootstrapScores(bleu, sys, nConfidence, rng);
      sysCi = new double[k][];
      for (int s = 0; s < k; s++) {
        sysCi[s] = NumpyStats.estimateCi(scores[s]);
      }
    }
    Map<String, SystemResult> out = new LinkedHashMap<>();
    int s = 0;
    for (String name : systems.keySet()) {
      double p = (count[s] + 1) / (double) (nTrials + 1);
      out.put(
          name,
          sysCi == null
              ? new SystemResult(sysScore[s], null, null, p)
              : new SystemResult(sysScore[s], sysCi[s][0], sysCi[s][1], p));
      s++;
    }
    Signature sig =
        bleu.signature(baseline.numRefs())
            .withTest(nConfidence > 0 ? nConfidence : null, nTrials, Long.toString(seed));
    return new PairedResult(sig, blResult, out);
  }

  /** {@code out = base + sum of delta rows where pos is set}, with the ten columns in locals. */
  private static void addSelected(int[] delta, boolean[] pos, long[] base, long[] out) {
    long s0 = base[0];
    long s1 = base[1];
    long s2 = base[2];
    long s3 = base[3];
    long s4 = base[4];
    long s5 = base[5];
    long s6 = base[6];
    long s7 = base[7];
    long s8 = base[8];
    long s9 = base[9];
    for (int i = 0; i < pos.length; i++) {
      if (pos[i]) {
        int b = i * 10;
        s0 += delta[b];
        s1 += delta[b + 1];
        s2 += delta[b + 2];
        s3 += delta[b + 3];
        s4 += delta[b + 4];
        s5 += delta[b + 5];
        s6 += delta[b + 6];
        s7 += delta[b + 7];
        s8 += delta[b + 8];
        s9 += delta[b + 9];
      }
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
}
