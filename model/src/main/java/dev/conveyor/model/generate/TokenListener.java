package dev.conveyor.model.generate;

/**
 * Streams generation: called on the generating thread once per generated token of each prompt, and
 * asked before each step whether a prompt was cancelled.
 */
@FunctionalInterface
public interface TokenListener {

  /**
   * @param index position of the prompt in the batch
   * @param tokenId the new token
   * @param textDelta text that became final with this token (may be empty while a multi-byte
   *     character or a possible stop sequence is pending)
   */
  void onToken(int index, int tokenId, String textDelta);

  /**
   * Polled before every step for each unfinished prompt: true stops it at once (finish reason
   * {@link FinishReason#CANCELLED}, the tokens so far) and frees its row of the batch.
   *
   * @param index position of the prompt in the batch
   */
  default boolean isCancelled(int index) {
    return false;
  }

  /** A listener that ignores tokens; with it and no stop sequences text is decoded only once. */
  static TokenListener none() {
    return Silent.INSTANCE;
  }

  /** The no-op listener. */
  enum Silent implements TokenListener {
    INSTANCE;

    @Override
    public void onToken(int index, int tokenId, String textDelta) {}
  }
}
