package dev.conveyor.model.generate;

import java.util.Arrays;
import java.util.Random;

/** Picks the next token from one row of logits, in Java so that each request has its own RNG. */
final class Sampler {

  private final GenerationOptions options;
  private final Random random;

  Sampler(GenerationOptions options) {
    this.options = options;
    this.random = new Random(options.seed());
  }

  int next(float[] logits, int offset, int vocab) {
    if (options.isGreedy()) {
      int best = 0;
      for (int i = 1; i < vocab; i++) {
        if (logits[offset + i] > logits[offset + best]) {
          best = i;
        }
      }
      return best;
    }
    Integer[] order = new Integer[vocab];
    for (int i = 0; i < vocab; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(logits[offset + b], logits[offset + a]));
    int keep = options.topK() > 0 ? Math.min(options.topK(), vocab) : vocab;
    double max = logits[offset + order[0]];
    double[] p = new double[keep];
    double sum = 0;
    for (int i = 0; i < keep; i++) {
      p[i] = Math.exp((logits[offset + order[i]] - max) / options.temperature());
      sum += p[i];
    }
    double cumulative = 0;
    int nucleus = keep;
    for (int i = 0; i < keep; i++) {
      p[i] /= sum;
      cumulative += p[i];
      if (cumulative >= options.topP()) {
        nucleus = i + 1;
        break;
      }
    }
    double r = random.nextDouble() * Math.min(1.0, cumulative);
    double acc = 0;
    for (int i = 0; i < nucleus; i++) {
      acc += p[i];
      if (r < acc) {
        return order[i];
      }
    }
    return order[nucleus - 1];
  }
}
