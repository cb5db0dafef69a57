package dev.conveyor.model.data;

import dev.conveyor.model.tokenizer.TextTokenizer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Examples turned into fixed-maximum-length training rows.
 *
 * <p>Pairs become one row each, {@code <|prompt|>p<|completion|>c<|endoftext|>}, weighted on the
 * completion and end-of-text targets only, cut at {@code sequenceLength + 1} tokens. Text documents
 * are joined with {@code <|endoftext|>} into one stream cut into consecutive windows.
 */
public final class TokenizedDataset {

  private final List<Sample> samples;
  private final String digest;

  private TokenizedDataset(List<Sample> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no training rows: the dataset is empty");
    }
    this.samples = List.copyOf(samples);
    this.digest = digestOf(this.samples);
  }

  /** Tokenizes {@code examples} into rows of at most {@code sequenceLength} input positions. */
  public static TokenizedDataset build(
      List<Example> examples, TextTokenizer tokenizer, int sequenceLength) {
    List<Sample> rows = new ArrayList<>();
    List<Long> stream = new ArrayList<>();
    for (Example e : examples) {
      if (e.isPair()) {
        rows.add(pairRow(e, tokenizer, sequenceLength));
      } else {
        for (long id : tokenizer.encode(e.text())) {
          stream.add(id);
        }
        stream.add((long) tokenizer.endOfTextId());
      }
    }
    for (int start = 0; start + 1 < stream.size(); start += sequenceLength) {
      int end = Math.min(stream.size(), start + sequenceLength + 1);
      long[] tokens = new long[end - start];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = stream.get(start + i);
      }
      float[] w = new float[tokens.length - 1];
      Arrays.fill(w, 1f);
      rows.add(new Sample(tokens, w));
    }
    return new TokenizedDataset(rows);
  }

  private static Sample pairRow(Example e, TextTokenizer tok, int sequenceLength) {
    long[] p = tok.encode(e.prompt());
    long[] c = tok.encode(e.completion());
    int n = p.length + c.length + 3;
    long[] all = new long[n];
    all[0] = tok.promptId();
    System.arraycopy(p, 0, all, 1, p.length);
    all[p.length + 1] = tok.completionId();
    System.arraycopy(c, 0, all, p.length + 2, c.length);
    all[n - 1] = tok.endOfTextId();
    long[] tokens = Arrays.copyOf(all, Math.min(n, sequenceLength + 1));
    float[] w = new float[tokens.length - 1];
    int firstCompletionTarget = p.length + 1; // target index whose token follows <|completion|>
    for (int j = firstCompletionTarget; j < w.length; j++) {
      w[j] = 1f;
    }
    return new Sample(tokens, w);
  }

  /** The rows, in example order. */
  public List<Sample> samples() {
    return samples;
  }

  /** Number of rows. */
  public int size() {
    return samples.size();
  }

  /** sha256 of every row's tokens and weights: identifies the data a checkpoint was trained on. */
  public String digest() {
    return digest;
  }

  private static String digestOf(List<Sample> samples) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Sample s : samples) {
        ByteBuffer buf = ByteBuffer.allocate(4 + s.tokens().length * 8 + s.weights().length * 4);
        buf.putInt(s.tokens().length);
        for (long t : s.tokens()) {
          buf.putLong(t);
        }
        for (float w : s.weights()) {
          buf.putFloat(w);
        }
        md.update(buf.array());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
