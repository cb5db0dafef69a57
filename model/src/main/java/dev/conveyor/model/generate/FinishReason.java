package dev.conveyor.model.generate;

/** Why generation of one prompt ended. */
public enum FinishReason {
  /** The model emitted {@code <|endoftext|>} or a stop sequence appeared. */
  STOP,
  /** {@code maxTokens} were generated. */
  MAX_TOKENS,
  /** The context window is full. */
  CONTEXT_LENGTH,
  /** The caller stopped it (a client that left or timed out). */
  CANCELLED
}
