package dev.conveyor.bleu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The paired bootstrap's interval of the difference (candidate − baseline). */
class DeltaIntervalTest {
  private static final int N = 300;
  private static final List<String> REFS = new ArrayList<>();
  private static final List<String> GOOD = new ArrayList<>();
  private static final List<String> WEAK = new ArrayList<>();
  private static final List<String> GOOD_TOO = new ArrayList<>();

  static {
    Random r = new Random(7);
    String[] vocab = new String[300];
    for (int i = 0; i < vocab.length; i++) {
      vocab[i] = "w" + i;
    }
    for (int i = 0; i < N; i++) {
      String[] ref = new String[8 + r.nextInt(12)];
      for (int j = 0; j < ref.length; j++) {
        ref[j] = vocab[r.nextInt(vocab.length)];
      }
      REFS.add(String.join(" ", ref));
      GOOD.add(String.join(" ", perturb(ref, 0.1, r, vocab)));
      WEAK.add(String.join(" ", perturb(ref, 0.5, r, vocab)));
      GOOD_TOO.add(String.join(" ", perturb(ref, 0.1, r, vocab)));
    }
  }

  private static String[] perturb(String[] ref, double rate, Random r, String[] vocab) {
    String[] out = ref.clone();
    for (int j = 0; j < out.length; j++) {
      if (r.nextDouble() < rate) {
        out[j] = vocab[r.nextInt(vocab.length)];
      }
    }
    return out;
  }

  private static PairedResult run(List<String> baseline, List<String> system, double confidence) {
    return PairedBootstrap.run(
        Bleu.defaults(), baseline, Map.of("sys", system), List.of(REFS), 1000, 12345, confidence);
  }

  @Test
  void aClearWinHasAnIntervalAroundTheObservedDeltaThatExcludesZero() {
    PairedResult r = run(WEAK, GOOD, 0.95);
    SystemResult sys = r.systems().get("sys");
    double delta = sys.score() - r.baseline().score();
    assertTrue(delta > 20, "a clear win: delta " + delta);
    ConfidenceInterval ci = sys.deltaCi();
    assertNotNull(ci);
    assertEquals(0.95, ci.confidence());
    assertTrue(ci.contains(delta), ci + " must contain the observed delta " + delta);
    assertTrue(sys.pValue() < 0.01, "p " + sys.pValue());
    assertTrue(ci.low() > 0, "p tiny, so the interval excludes 0: " + ci);
    assertNull(r.baseline().deltaCi(), "the baseline has no difference to itself");

    // the other way round the interval mirrors: the same resamples, the differences negated
    ConfidenceInterval back = run(GOOD, WEAK, 0.95).systems().get("sys").deltaCi();
    assertEquals(-ci.high(), back.low(), 1e-9);
    assertEquals(-ci.low(), back.high(), 1e-9);
  }

  @Test
  void twoEquallyGoodSystemsHaveAnIntervalAcrossZero() {
    SystemResult sys = run(GOOD, GOOD_TOO, 0.95).systems().get("sys");
    assertTrue(sys.pValue() > 0.05, "p " + sys.pValue());
    assertTrue(sys.deltaCi().contains(0.0), sys.deltaCi().toString());
  }

  @Test
  void intervalMatchesAHandComputationFromTheSameResamples() {
    Bleu bleu = Bleu.defaults();
    int samples = 1000;
    ConfidenceInterval ci = run(WEAK, GOOD, 0.95).systems().get("sys").deltaCi();

    // by hand: sacreBLEU's draws, each resample scored as an ordinary corpus, paired differences
    NumpyRandom rng = new NumpyRandom(12345);
    int[] idx = new int[N];
    double[] diffs = new double[samples];
    for (int s = 0; s < samples; s++) {
      rng.fillIndices(N, idx);
      List<String> good = new ArrayList<>(N);
      List<String> weak = new ArrayList<>(N);
      List<String> refs = new ArrayList<>(N);
      for (int i : idx) {
        good.add(GOOD.get(i));
        weak.add(WEAK.get(i));
        refs.add(REFS.get(i));
      }
      diffs[s] =
          bleu.corpusScore(good, List.of(refs)).score()
              - bleu.corpusScore(weak, List.of(refs)).score();
    }
    Arrays.sort(diffs);
    // sacreBLEU's rank rule at 95%: the 25th and the 975th of 1000 sorted values
    assertEquals(diffs[samples / 40], ci.low(), 1e-4);
    assertEquals(diffs[samples - samples / 40 - 1], ci.high(), 1e-4);

    // and exactly, with the float32 sums that the per-system intervals use
    ReferenceSet refs = bleu.references(List.of(REFS));
    double[][] scores =
        Resampling.bootstrapScores(
            bleu,
            List.of(bleu.corpusStats(WEAK, refs), bleu.corpusStats(GOOD, refs)),
            samples,
            new NumpyRandom(12345));
    double[] exact = new double[samples];
    for (int s = 0; s < samples; s++) {
      exact[s] = scores[1][s] - scores[0][s];
    }
    Arrays.sort(exact);
    assertEquals(exact[25], ci.low());
    assertEquals(exact[974], ci.high());
  }

  @Test
  void higherConfidenceGivesAWiderIntervalAndBadLevelsAreRejected() {
    ConfidenceInterval c90 = run(WEAK, GOOD, 0.90).systems().get("sys").deltaCi();
    ConfidenceInterval c95 = run(WEAK, GOOD, 0.95).systems().get("sys").deltaCi();
    ConfidenceInterval c99 = run(WEAK, GOOD, 0.99).systems().get("sys").deltaCi();
    assertTrue(c99.low() <= c95.low() && c95.low() <= c90.low(), c90 + " " + c95 + " " + c99);
    assertTrue(c90.high() <= c95.high() && c95.high() <= c99.high(), c90 + " " + c95 + " " + c99);
    assertTrue(c99.high() - c99.low() > c90.high() - c90.low());
    for (double bad : new double[] {0, 1, -0.5, 95, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> run(WEAK, GOOD, bad));
      assertTrue(e.getMessage().startsWith("confidence must be between 0 and 1"), e.getMessage());
    }
  }

  @Test
  void rankRuleIsSacrebleusAt95PercentAndExactForRoundLevels() {
    for (int n = 1; n <= 20000; n++) {
      assertEquals(n / 40, NumpyStats.lowerIndex(n, 0.95), "n=" + n);
    }
    assertEquals(50, NumpyStats.lowerIndex(1000, 0.90));
    assertEquals(5, NumpyStats.lowerIndex(1000, 0.99));
    assertEquals(0, NumpyStats.lowerIndex(10, 0.95));
    double[] values = {5, 1, 4, 2, 3};
    assertEquals(new ConfidenceInterval(1, 5, 0.95), NumpyStats.percentileInterval(values, 0.95));
    assertEquals(new ConfidenceInterval(2, 4, 0.5), NumpyStats.percentileInterval(values, 0.5));
  }

  @Test
  void defaultRunUsesNinetyFivePercentAndLeavesSacrebleuNumbersAlone() {
    Bleu bleu = Bleu.defaults();
    PairedResult plain =
        PairedBootstrap.run(bleu, WEAK, Map.of("sys", GOOD), List.of(REFS), 1000, 12345);
    PairedResult at95 = run(WEAK, GOOD, 0.95);
    assertEquals(at95, plain);
    PairedResult at80 = run(WEAK, GOOD, 0.80);
    SystemResult a = at80.systems().get("sys");
    SystemResult b = plain.systems().get("sys");
    // the confidence level of the difference does not touch what sacreBLEU reports
    assertEquals(b.score(), a.score());
    assertEquals(b.mean(), a.mean());
    assertEquals(b.ci(), a.ci());
    assertEquals(b.pValue(), a.pValue());
    assertEquals(plain.baseline(), at80.baseline());
  }
}
