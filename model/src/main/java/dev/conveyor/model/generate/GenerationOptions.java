package dev.conveyor.model.generate;

import java.util.List;

/**
 * How to generate.
 *
 * @param maxTokens most tokens to generate per prompt
 * @param temperature 0 = greedy (argmax); otherwise logits are divided by it before sampling
 * @param topK keep only the k most likely tokens (0 = all)
 * @param topP keep the smallest set of tokens whose probability reaches p (1 = all)
 * @param seed seed of this request's sampler; a prompt's output does not depend on its batch
 * @param stopSequences generation stops before the first occurrence of any of these
 * @param useKvCache false re-encodes the whole sequence for every token (for tests/benchmarks)
 * @param stopAtEndOfText false keeps generating past {@code <|endoftext|>} (benchmarks)
 */
public record GenerationOptions(
    int maxTokens,
    double temperature,
    int topK,
    double topP,
    long seed,
    List<String> stopSequences,
    boolean useKvCache,
    boolean stopAtEndOfText) {

  public GenerationOptions {
    if (maxTokens < 1 || temperature < 0 || topK < 0 || topP <= 0 || topP > 1) {
      throw new IllegalArgumentException(
          "need maxTokens >= 1, temperature >= 0, topK >= 0, 0 < topP <= 1");
    }
    stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
  }

  /** Deterministic argmax decoding. */
  public static GenerationOptions greedy(int maxTokens) {
    return new GenerationOptions(maxTokens, 0, 0, 1, 0, List.of(), true, true);
  }

  /** Sampling with the given temperature, top-k, top-p and seed. */
  public static GenerationOptions sampling(
      int maxTokens, double temperature, int topK, double topP, long seed) {
    return new GenerationOptions(maxTokens, temperature, topK, topP, seed, List.of(), true, true);
  }

  /** A copy with stop sequences. */
  public GenerationOptions withStopSequences(List<String> stops) {
    return new GenerationOptions(
        maxTokens, temperature, topK, topP, seed, stops, useKvCache, stopAtEndOfText);
  }

  /** A copy with the KV cache on or off. */
  public GenerationOptions withKvCache(boolean on) {
    return new GenerationOptions(
        maxTokens, temperature, topK, topP, seed, stopSequences, on, stopAtEndOfText);
  }

  /** A copy with another seed. */
  public GenerationOptions withSeed(long s) {
    return new GenerationOptions(
        maxTokens, temperature, topK, topP, s, stopSequences, useKvCache, stopAtEndOfText);
  }

  /** A copy that does (or does not) stop at {@code <|endoftext|>}. */
  public GenerationOptions withStopAtEndOfText(boolean on) {
    return new GenerationOptions(
        maxTokens, temperature, topK, topP, seed, stopSequences, useKvCache, on);
  }

  /** True when decoding is argmax. */
  public boolean isGreedy() {
    return temperature == 0 || topK == 1;
  }
}
