package dev.conveyor.bleu;

/**
 * One system's line in a paired test, as sacreBLEU's {@code significance.Result}, plus the interval
 * of its difference from the baseline, which sacreBLEU does not report.
 *
 * @param score the system's corpus BLEU
 * @param mean the bootstrap estimate of the true mean, or null when not estimated
 * @param ci half the width of the 95% confidence interval around {@code mean}, or null
 * @param pValue the p-value against the baseline, or null for the baseline itself
 * @param deltaCi percentile interval of (system − baseline) BLEU over the paired bootstrap's
 *     resamples (the same indices for both), or null where the test does not pair resamples (the
 *     baseline itself, approximate randomization)
 */
public record SystemResult(
    double score, Double mean, Double ci, Double pValue, ConfidenceInterval deltaCi) {

  /** A result without a difference interval, as sacreBLEU reports it. */
  public SystemResult(double score, Double mean, Double ci, Double pValue) {
    this(score, mean, ci, pValue, null);
  }
}
