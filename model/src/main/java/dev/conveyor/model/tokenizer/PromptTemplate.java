package dev.conveyor.model.tokenizer;

/**
 * The one prompt/completion format of Conveyor models. Training encodes records as {@code
 * <|prompt|>PROMPT<|completion|>COMPLETION<|endoftext|>}; generation feeds {@code
 * <|prompt|>PROMPT<|completion|>} and stops at {@code <|endoftext|>}.
 *
 * <p>The special tokens are inserted by id, never parsed from text, so callers format prompts only
 * through this class.
 */
public final class PromptTemplate {

  private PromptTemplate() {}

  /** The template as text (for display and docs). */
  public static String format(String prompt) {
    return SpecialTokens.PROMPT + prompt + SpecialTokens.COMPLETION;
  }

  /** A full training record as text. */
  public static String formatRecord(String prompt, String completion) {
    return format(prompt) + completion + SpecialTokens.END_OF_TEXT;
  }

  /** Token ids of a generation prompt: {@code <|prompt|> ids(prompt) <|completion|>}. */
  public static long[] encodePrompt(TextTokenizer tokenizer, String prompt) {
    long[] body = tokenizer.encode(prompt);
    long[] out = new long[body.length + 2];
    out[0] = tokenizer.promptId();
    System.arraycopy(body, 0, out, 1, body.length);
    out[out.length - 1] = tokenizer.completionId();
    return out;
  }
}
