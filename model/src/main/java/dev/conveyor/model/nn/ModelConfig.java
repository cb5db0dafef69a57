package dev.conveyor.model.nn;

/**
 * Architecture of a GPT-style decoder; saved with the weights in every artifact and checkpoint.
 *
 * @param vocabSize number of token ids (the tokenizer's vocabulary, special tokens included)
 * @param contextLength maximum sequence length (size of the learned position table)
 * @param layers number of decoder blocks
 * @param heads attention heads per block; must divide {@code width}
 * @param width model (embedding) width; the MLP is {@code 4 * width} wide
 * @param dropout dropout rate on embeddings, attention probabilities and residual branches
 */
public record ModelConfig(
    int vocabSize, int contextLength, int layers, int heads, int width, double dropout) {

  /** Default context length: room for a prompt plus 128+ generated tokens. */
  public static final int DEFAULT_CONTEXT = 256;

  public ModelConfig {
    if (vocabSize < 1 || contextLength < 2 || layers < 1 || heads < 1 || width < 1) {
      throw new IllegalArgumentException("model dimensions must be positive: " + describe());
    }
    if (width % heads != 0) {
      throw new IllegalArgumentException("width " + width + " is not divisible by heads " + heads);
    }
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
    }
  }

  /**
   * The default size: 4 layers, 4 heads, width 128, context 256, no dropout (about 0.8M parameters
   * plus the embedding table). Trains to a useful level on 2 CPU cores in minutes.
   */
  public static ModelConfig defaults(int vocabSize) {
    return new ModelConfig(vocabSize, DEFAULT_CONTEXT, 4, 4, 128, 0.0);
  }

  /** Width of one attention head. */
  public int headWidth() {
    return width / heads;
  }

  /** Returns a copy with another context length. */
  public ModelConfig withContextLength(int n) {
    return new ModelConfig(vocabSize, n, layers, heads, width, dropout);
  }

  /** Returns a copy with another dropout rate. */
  public ModelConfig withDropout(double p) {
    return new ModelConfig(vocabSize, contextLength, layers, heads, width, p);
  }

  /** Number of trainable parameters of the base model (LoRA adapters excluded). */
  public long parameterCount() {
    long d = width;
    long perLayer =
        2 * 2 * d + (3 * d * d + 3 * d) + (d * d + d) + (4 * d * d + 4 * d) + (4 * d * d + d);
    return (long) vocabSize * d + (long) contextLength * d + layers * perLayer + 2 * d;
  }

  private String describe() {
    return "vocab="
        + vocabSize
        + " context="
        + contextLength
        + " layers="
        + layers
        + " heads="
        + heads
        + " width="
        + width;
  }
}
