package dev.conveyor.bleu;

/**
 * A percentile interval from bootstrap resamples.
 *
 * @param low the lower bound
 * @param high the upper bound
 * @param confidence the central share of the resamples it spans, e.g. 0.95
 */
public record ConfidenceInterval(double low, double high, double confidence) {

  /** True when {@code value} lies in the closed interval. */
  public boolean contains(double value) {
    return low <= value && value <= high;
  }
}
