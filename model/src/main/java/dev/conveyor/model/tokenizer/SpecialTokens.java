package dev.conveyor.model.tokenizer;

import java.util.List;

/**
 * The special tokens every Conveyor tokenizer carries, at ids 0..3 of the vocabulary.
 *
 * <p>Prompt/completion records are encoded as {@code <|prompt|>PROMPT<|completion|>COMPLETION
 * <|endoftext|>} (see {@link PromptTemplate}); plain text documents end with {@code <|endoftext|>};
 * {@code <|pad|>} only fills batches and is never attended or learned.
 */
public final class SpecialTokens {

  /** Ends every document and every completion; generation stops on it. */
  public static final String END_OF_TEXT = "<|endoftext|>";

  /** Starts a prompt. */
  public static final String PROMPT = "<|prompt|>";

  /** Ends the prompt; the completion follows. */
  public static final String COMPLETION = "<|completion|>";

  /** Batch padding. */
  public static final String PAD = "<|pad|>";

  /** All special tokens in id order. */
  public static final List<String> ALL = List.of(END_OF_TEXT, PROMPT, COMPLETION, PAD);

  private SpecialTokens() {}
}
