package dev.conveyor.bleu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * sacreBLEU's paired bootstrap resampling test ({@code --paired-bs}), after Koehn (2004) and Moses'
 * {@code bootstrap-hypothesis-difference-significance.pl}, with numpy's random draws reproduced so
 * that p-values and intervals equal sacreBLEU's for the same seed.
 */
public final class PairedBootstrap {
  /** sacreBLEU's default number of resamples. */
  public static final int DEFAULT_SAMPLES = 1000;

  /** sacreBLEU's default seed ({@code SACREBLEU_SEED}). */
  public static final long DEFAULT_SEED = 12345;

  /** Level of the difference intervals unless given: 95%, as sacreBLEU's per-system intervals. */
  public static final double DEFAULT_CONFIDENCE = 0.95;

  private PairedBootstrap() {}

  /**
   * Tests each system against the baseline, all scored against {@code refStreams}, with 95%
   * difference intervals.
   */
  public static PairedResult run(
      Bleu bleu,
      List<String> baseline,
      Map<String, List<String>> systems,
      List<? extends List<String>> refStreams,
      int nSamples,
      long seed) {
    return run(bleu, baseline, systems, refStreams, nSamples, seed, DEFAULT_CONFIDENCE);
  }

  /**
   * Tests each system against the baseline, all scored against {@code refStreams}; each system's
   * {@link SystemResult#deltaCi()} spans the central {@code confidence} share of its resampled
   * differences.
   */
  public static PairedResult run(
      Bleu bleu,
      List<String> baseline,
      Map<String, List<String>> systems,
      List<? extends List<String>> refStreams,
      int nSamples,
      long seed,
      double confidence) {
    ReferenceSet refs = bleu.references(refStreams);
    return run(
        bleu,
        bleu.corpusStats(baseline, refs),
        Resampling.stats(bleu, systems, refs),
        nSamples,
        seed,
        confidence);
  }

  /** Tests each system against the baseline from precomputed statistics (95% intervals). */
  public static PairedResult run(
      Bleu bleu, CorpusStats baseline, Map<String, CorpusStats> systems, int nSamples, long seed) {
    return run(bleu, baseline, systems, nSamples, seed, DEFAULT_CONFIDENCE);
  }

  /** Tests each system against the baseline from precomputed statistics. */
  public static PairedResult run(
      Bleu bleu,
      CorpusStats baseline,
      Map<String, CorpusStats> systems,
      int nSamples,
      long seed,
      double confidence) {
    Resampling.checkSizes(baseline, systems);
    NumpyStats.checkConfidence(confidence);
    if (nSamples <= 0) {
      throw new IllegalArgumentException(
          "number of bootstrap samples must be positive, got " + nSamples);
    }
    List<CorpusStats> all = new ArrayList<>();
    all.add(baseline);
    all.addAll(systems.values());
    // sacreBLEU reseeds for the baseline and for every system, so all of them see the same indices.
    double[][] scores = Resampling.bootstrapScores(bleu, all, nSamples, new NumpyRandom(seed));
    double baselineScore = bleu.score(baseline).score();
    double[] blCi = NumpyStats.estimateCi(scores[0]);
    SystemResult bl = new SystemResult(baselineScore, blCi[0], blCi[1], null);
    Map<String, SystemResult> out = new LinkedHashMap<>();
    int s = 1;
    for (Map.Entry<String, CorpusStats> e : systems.entrySet()) {
      double sysScore = bleu.score(e.getValue()).score();
      double[] ci = NumpyStats.estimateCi(scores[s]);
      double realDiff = Math.abs(baselineScore - sysScore);
      double[] diffs = new double[nSamples];
      double[] signed = new double[nSamples];
      for (int i = 0; i < nSamples; i++) {
        signed[i] = scores[s][i] - scores[0][i];
        diffs[i] = Math.abs(signed[i]);
      }
      double meanDiff = NumpyStats.mean(diffs);
      int c = 0;
      for (double d : diffs) {
        if (d - meanDiff > realDiff) {
          c++;
        }
      }
      // the same resample indices for both systems: the interval of the paired difference
      ConfidenceInterval deltaCi = NumpyStats.percentileInterval(signed, confidence);
      out.put(
          e.getKey(),
          new SystemResult(sysScore, ci[0], ci[1], (c + 1) / (double) (nSamples + 1), deltaCi));
      s++;
    }
    Signature sig =
        bleu.signature(baseline.numRefs()).withTest(nSamples, null, Long.toString(seed));
    return new PairedResult(sig, bl, out);
  }
}
