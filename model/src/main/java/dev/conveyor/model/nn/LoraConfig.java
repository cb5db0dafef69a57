package dev.conveyor.model.nn;

/**
 * Low-rank adapters on the attention projections (qkv and output).
 *
 * @param rank adapter rank r; 0 disables LoRA
 * @param alpha scaling numerator: the adapter output is multiplied by {@code alpha / rank}
 * @param dropout dropout on the adapter input during training
 */
public record LoraConfig(int rank, double alpha, double dropout) {

  /** No adapters. */
  public static final LoraConfig NONE = new LoraConfig(0, 0, 0);

  public LoraConfig {
    if (rank < 0 || dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException(
          "invalid LoRA config: rank=" + rank + " dropout=" + dropout);
    }
  }

  /** True when adapters are present. */
  public boolean enabled() {
    return rank > 0;
  }

  /** Factor applied to the adapter branch. */
  public float scale() {
    return rank == 0 ? 0f : (float) (alpha / rank);
  }
}
