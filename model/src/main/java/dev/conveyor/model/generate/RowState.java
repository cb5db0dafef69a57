package dev.conveyor.model.generate;

import dev.conveyor.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/** Progress of one prompt in a batch: generated ids, text, stop handling and streaming deltas. */
final class RowState {

  final long[] prompt;
  final GenerationOptions options;
  final Sampler sampler;
  final List<Integer> generated = new ArrayList<>();
  FinishReason finish;
  private String text = "";
  private String emitted = "";

  RowState(long[] prompt, GenerationOptions options) {
    this.prompt = prompt;
    this.options = options;
    this.sampler = new Sampler(options);
  }

  boolean done() {
    return finish != null;
  }

  /**
   * Records {@code token}; returns the text delta to stream. Without streaming and stop sequences
   * the text is decoded only when the row finishes.
   */
  String accept(int token, TextTokenizer tokenizer, int contextLength, boolean streaming) {
    generated.add(token);
    boolean textNeeded = streaming || !options.stopSequences().isEmpty();
    if (token == tokenizer.endOfTextId() && options.stopAtEndOfText()) {
      finish = FinishReason.STOP;
      if (!textNeeded) {
        text = decode(tokenizer, generated.size() - 1);
      }
    } else {
      if (textNeeded) {
        text = decode(tokenizer, generated.size());
      }
      int cut = firstStop(text);
      if (cut >= 0) {
        text = text.substring(0, cut);
        finish = FinishReason.STOP;
      } else if (generated.size() >= options.maxTokens()) {
        finish = FinishReason.MAX_TOKENS;
      } else if (prompt.length + generated.size() > contextLength) {
        finish = FinishReason.CONTEXT_LENGTH;
      }
      if (done() && !textNeeded) {
        text = decode(tokenizer, generated.size());
      }
    }
    String visible = done() ? text : text.substring(0, text.length() - pending(text));
    if (visible.length() > emitted.length() && visible.startsWith(emitted)) {
      String delta = visible.substring(emitted.length());
      emitted = visible;
      return delta;
    }
    return "";
  }

  /** Ends the row early: the text is what was generated so far (no pending stop prefix cut). */
  void cancel(TextTokenizer tokenizer) {
    if (!done()) {
      finish = FinishReason.CANCELLED;
      text = decode(tokenizer, generated.size());
    }
  }

  private String decode(TextTokenizer tokenizer, int count) {
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = generated.get(i);
    }
    return tokenizer.decode(ids);
  }

  private int firstStop(String s) {
    int best = -1;
    for (String stop : options.stopSequences()) {
      int i = stop.isEmpty() ? -1 : s.indexOf(stop);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }

  /** Trailing characters that must wait: a partial UTF-8 character or a stop-sequence prefix. */
  private int pending(String s) {
    int hold = s.endsWith("\uFFFD") ? 1 : 0;
    for (String stop : options.stopSequences()) {
      for (int k = Math.min(stop.length() - 1, s.length()); k > hold; k--) {
        if (s.endsWith(stop.substring(0, k))) {
          hold = k;
          break;
        }
      }
    }
    return hold;
  }

  Completion result() {
    return new Completion(text, List.copyOf(generated), prompt.length, generated.size(), finish);
  }
}
