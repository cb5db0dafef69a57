package dev.conveyor.bleu;

import java.util.Arrays;

/** numpy's float64 summation and sacreBLEU's {@code estimate_ci}, reproduced bit for bit. */
final class NumpyStats {
  private static final int PW_BLOCKSIZE = 128;

  private NumpyStats() {}

  /** {@code np.add.reduce} on a contiguous float64 array: numpy's pairwise summation. */
  static double pairwiseSum(double[] a, int off, int n) {
    if (n < 8) {
      double res = 0.;
      for (int i = 0; i < n; i++) {
        res += a[off + i];
      }
      return res;
    } else if (n <= PW_BLOCKSIZE) {
      double r0 = a[off];
      double r1 = a[off + 1];
      double r2 = a[off + 2];
      double r3 = a[off + 3];
      double r4 = a[off + 4];
      double r5 = a[off + 5];
      double r6 = a[off + 6];
      double r7 = a[off + 7];
      int i;
      for (i = 8; i < n - (n % 8); i += 8) {
        r0 += a[off + i];
        r1 += a[off + i + 1];
        r2 += a[off + i + 2];
        r3 += a[off + i + 3];
        r4 += a[off + i + 4];
        r5 += a[off + i + 5];
        r6 += a[off + i + 6];
        r7 += a[off + i + 7];
      }
      double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) {
        res += a[off + i];
      }
      return res;
    } else {
      int n2 = n / 2;
      n2 -= n2 % 8;
      return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
    }
  }

  /** {@code a.mean()}: the add-reduce starts from the identity 0.0, then divides. */
  static double mean(double[] a) {
    return (0.0 + pairwiseSum(a, 0, a.length)) / a.length;
  }

  /** sacreBLEU's {@code significance.estimate_ci}: the mean and half the central 95% range. */
  static double[] estimateCi(double[] scores) {
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    int lowerIdx = n / 40;
    int upperIdx = n - lowerIdx - 1;
    double ci = 0.5 * (sorted[upperIdx] - sorted[lowerIdx]);
    return new double[] {mean(sorted), ci};
  }

  /**
   * The central {@code confidence} share of {@code values} by rank: sacreBLEU's {@code estimate_ci}
   * rule ({@code n // 40} and {@code n - n // 40 - 1} of the sorted values at 95%) for any level.
   */
  static ConfidenceInterval percentileInterval(double[] values, double confidence) {
    checkConfidence(confidence);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    int lowerIdx = lowerIndex(n, confidence);
    return new ConfidenceInterval(sorted[lowerIdx], sorted[n - lowerIdx - 1], confidence);
  }

  /** Rank of the lower bound: floor(n × (1 − confidence) / 2), exact for levels like 0.9. */
  static int lowerIndex(int n, double confidence) {
    // 1 - 0.9 is 0.09999999999999998 in binary: the epsilon keeps 1000 × 0.05 at 50, not 49
    return (int) Math.floor(n * (1.0 - confidence) / 2.0 + 1e-9);
  }

  static void checkConfidence(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException(
          "confidence must be between 0 and 1 (exclusive), got " + confidence);
    }
  }
}
