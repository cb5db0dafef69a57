package dev.conveyor.bleu;

/**
 * One system's line in a paired test, as sacreBLEU's {@code significance.Result}.
 *
 * @param score the system's corpus BLEU
 * @param mean the bootstrap estimate of the true mean, or null when not estimated
 * @param ci half the width of the 95% confidence interval around {@code mean}, or null
 * @param pValue the p-value against the baseline, or null for the baseline itself
 */
public record SystemResult(double score, Double mean, Double ci, Double pValue) {}
