package dev.conveyor.model.data;

import java.util.Objects;

/**
 * One training record: either a prompt/completion pair (loss on the completion only) or a plain
 * text document (loss on every token).
 *
 * @param prompt the prompt of a pair, null for text
 * @param completion the completion of a pair, null for text
 * @param text the document, null for a pair
 */
public record Example(String prompt, String completion, String text) {

  public Example {
    boolean pair = prompt != null && completion != null && text == null;
    boolean doc = prompt == null && completion == null && text != null;
    if (!pair && !doc) {
      throw new IllegalArgumentException("an example is either (prompt, completion) or text");
    }
  }

  /** A prompt/completion pair. */
  public static Example pair(String prompt, String completion) {
    return new Example(Objects.requireNonNull(prompt), Objects.requireNonNull(completion), null);
  }

  /** A plain text document. */
  public static Example text(String text) {
    return new Example(null, null, Objects.requireNonNull(text));
  }

  /** True for a prompt/completion pair. */
  public boolean isPair() {
    return text == null;
  }
}
