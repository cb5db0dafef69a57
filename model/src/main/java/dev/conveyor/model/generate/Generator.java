package dev.conveyor.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.conveyor.model.nn.GptModel;
import dev.conveyor.model.nn.Masks;
import dev.conveyor.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Batched autoregressive decoding of prompts of different lengths.
 *
 * <p>With the KV cache (the default) the prompts run through a {@link DecodeSession}: one prefill
 * of the left-padded prompts, then one token per row per step, each row leaving the batch when it
 * finishes. Without it ({@code useKvCache=false}, the benchmark's baseline) the whole padded
 * sequence is re-encoded for every token. Either way a key-padding mask hides the padding and
 * position ids start at each prompt's first real token, so every prompt gets the tokens it would
 * get alone. Not thread-safe: callers serialise calls (see {@code LanguageModel}).
 */
public final class Generator {

  private final GptModel model;
  private final TextTokenizer tokenizer;
  private final NDManager manager;

  /** Decodes with {@code model}; temporary arrays live in children of {@code manager}. */
  public Generator(GptModel model, TextTokenizer tokenizer, NDManager manager) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.manager = manager;
  }

  /** Generates for each prompt (token ids) with the same options. */
  public List<Completion> generate(
      List<long[]> prompts, GenerationOptions options, TokenListener listener) {
    List<GenerationOptions> all = new ArrayList<>();
    prompts.forEach(p -> all.add(options));
    return generate(prompts, all, listener);
  }

  /**
   * Generates for each prompt with its own options (sampling, seed, stops, max tokens); the KV
   * cache setting of the first options applies to the batch.
   */
  public List<Completion> generate(
      List<long[]> prompts, List<GenerationOptions> options, TokenListener listener) {
    if (prompts.isEmpty()) {
      return List.of();
    }
    // grad mode is thread-local in libtorch: a serving thread must not record autograd graphs
    if (options.get(0).useKvCache()) {
      return decodeCached(prompts, options, listener);
    }
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    IntraOpThreads threads = new IntraOpThreads();
    try {
      return decode(prompts, options, listener, threads);
    } finally {
      threads.restore();
      JniUtils.setGradMode(gradMode);
    }
  }

  private List<Completion> decodeCached(
      List<long[]> prompts, List<GenerationOptions> options, TokenListener listener) {
    int n = prompts.size();
    boolean streaming = listener != TokenListener.none();
    Completion[] out = new Completion[n];
    try (DecodeSession session = new DecodeSession(model, tokenizer, manager, n, this)) {
      int[] row = new int[n];
      Map<Integer, Integer> index = new HashMap<>();
      for (int b = 0; b < n; b++) {
        row[b] = session.add(prompts.get(b), options.get(b), streaming);
        index.put(row[b], b);
      }
      while (!session.isEmpty()) {
        for (int b = 0; b < n; b++) {
          if (out[b] == null && listener.isCancelled(b)) {
            out[b] = session.cancel(row[b]);
          }
        }
        for (DecodeSession.Token t : session.step()) {
          int b = index.get(t.row());
          listener.onToken(b, t.tokenId(), t.textDelta());
          if (t.finished()) {
            out[b] = t.completion();
          }
        }
      }
    }
    return List.of(out);
  }

  /** Re-encoding: the whole sequence through the model for every token. */
  private List<Completion> decode(
      List<long[]> prompts,
      List<GenerationOptions> options,
      TokenListener listener,
      IntraOpThreads threads) {
    int ctx = model.config().contextLength();
    int vocab = model.config().vocabSize();
    int n = prompts.size();
    RowState[] rows = new RowState[n];
    int width = 0;
    for (int b = 0; b < n; b++) {
      long[] p = prompts.get(b);
      if (p.length == 0) {
        p = new long[] {tokenizer.endOfTextId()};
      }
      if (p.length > ctx - 1) {
        p = Arrays.copyOfRange(p, p.length - (ctx - 1), p.length); // keep the most recent tokens
      }
      rows[b] = new RowState(p, options.get(b));
      width = Math.max(width, p.length);
    }
    boolean streaming = listener != TokenListener.none();
    int maxSteps = options.stream().mapToInt(GenerationOptions::maxTokens).max().orElse(1);
    // the padded token matrix, its validity and position ids, grown by one column per step
    long[][] tokens = new long[n][width + maxSteps];
    boolean[][] valid = new boolean[n][width + maxSteps];
    long[][] positions = new long[n][width + maxSteps];
    for (int b = 0; b < n; b++) {
      int pad = width - rows[b].prompt.length;
      Arrays.fill(tokens[b], tokenizer.padId());
      for (int j = 0; j < rows[b].prompt.length; j++) {
        tokens[b][pad + j] = rows[b].prompt[j];
        valid[b][pad + j] = true;
        positions[b][pad + j] = j;
      }
    }
    try (NDManager gen = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(gen, false);
      int length = width;
      for (int step = 0; step < maxSteps; step++) {
        for (int b = 0; b < n; b++) {
          if (!rows[b].done() && listener.isCancelled(b)) {
            rows[b].cancel(tokenizer);
          }
        }
        float[] logits;
        try (NDManager m = gen.newSubManager()) {
          threads.forRows(n * length);
          logits = forward(m, ps, tokens, valid, positions, length);
        }
        boolean allDone = true;
        for (int b = 0; b < n; b++) {
          RowState row = rows[b];
          if (!row.done()) {
            int token = row.sampler.next(logits, b * vocab, vocab);
            String delta = row.accept(token, tokenizer, ctx, streaming);
            listener.onToken(b, token, delta);
            int realSoFar = row.prompt.length + row.generated.size() - 1;
            tokens[b][length] = token;
            valid[b][length] = true;
            positions[b][length] = Math.min(realSoFar, ctx - 1);
          } else {
            tokens[b][length] = tokenizer.padId(); // finished rows idle; nobody reads them
            positions[b][length] = 0;
          }
          allDone &= row.done();
        }
        length++;
        if (allDone) {
          break;
        }
      }
    }
    List<Completion> out = new ArrayList<>(n);
    for (RowState row : rows) {
      out.add(row.result());
    }
    return out;
  }

  /** Runs columns [0, to) through the model and returns the last column's logits (n*vocab). */
  private float[] forward(
      NDManager m,
      ParameterStore ps,
      long[][] tokens,
      boolean[][] valid,
      long[][] positions,
      int to) {
    int n = tokens.length;
    long[] ids = new long[n * to];
    long[] pos = new long[n * to];
    boolean[][] keys = new boolean[n][];
    boolean padded = false;
    for (int b = 0; b < n; b++) {
      System.arraycopy(tokens[b], 0, ids, b * to, to);
      System.arraycopy(positions[b], 0, pos, b * to, to);
      keys[b] = Arrays.copyOf(valid[b], to);
      for (int j = 0; j < to && !padded; j++) {
        padded = !keys[b][j];
      }
    }
    NDArray idArray = m.create(ids, new Shape(n, to));
    NDArray posArray = m.create(pos, new Shape(n, to));
    // adding a 0 mask changes no score, so skipping it keeps batched == single results exact
    NDArray mask = padded ? Masks.keyPadding(m, keys, to) : null;
    if (to > 1) {
      NDArray causal = Masks.causal(m, to);
      mask = mask == null ? causal : mask.add(causal);
    }
    NDArray logits = model.logits(ps, idArray, posArray, mask, null, true, false);
    return logits.toFloatArray();
  }
}
