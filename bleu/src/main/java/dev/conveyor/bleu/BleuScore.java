package dev.conveyor.bleu;

import java.util.Arrays;
import java.util.Locale;

/**
 * A BLEU result with the fields of sacreBLEU's {@code BLEUScore}.
 *
 * <p>{@code counts} and {@code totals} are doubles because sacreBLEU reports them after add-k
 * smoothing has added its (possibly fractional) value to orders 2 to 4.
 *
 * @param score BLEU on the 0 to 100 scale, unrounded
 * @param counts matched n-grams per order 1..4
 * @param totals hypothesis n-grams per order 1..4
 * @param precisions n-gram precisions in percent, after smoothing
 * @param bp brevity penalty
 * @param sysLen hypothesis length in tokens
 * @param refLen effective reference length in tokens
 * @param signature sacreBLEU's reproducibility signature for this score
 */
public record BleuScore(
    double score,
    double[] counts,
    double[] totals,
    double[] precisions,
    double bp,
    long sysLen,
    long refLen,
    String signature) {

  @Override
  public boolean equals(Object o) {
    return o instanceof BleuScore b
        && Double.compare(score, b.score) == 0
        && Arrays.equals(counts, b.counts)
        && Arrays.equals(totals, b.totals)
        && Arrays.equals(precisions, b.precisions)
        && Double.compare(bp, b.bp) == 0
        && sysLen == b.sysLen
        && refLen == b.refLen
        && signature.equals(b.signature);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(score) * 31 + signature.hashCode();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "BLEU|%s = %.2f %s (BP = %.3f hyp_len = %d ref_len = %d)",
        signature,
        score,
        Arrays.toString(precisions),
        bp,
        sysLen,
        refLen);
  }
}
