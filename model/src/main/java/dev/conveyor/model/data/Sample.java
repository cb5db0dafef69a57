package dev.conveyor.model.data;

/**
 * One training row: {@code tokens} of length n+1 give inputs {@code tokens[0..n-1]} and targets
 * {@code tokens[1..n]}; {@code weights[j]} (0 or 1) says whether target j counts in the loss.
 */
public record Sample(long[] tokens, float[] weights) {

  /** Number of input positions. */
  public int length() {
    return tokens.length - 1;
  }
}
