package dev.conveyor.model.generate;

/** Streams generation: called on the generating thread once per generated token of each prompt. */
@FunctionalInterface
public interface TokenListener {

  /**
   * @param index position of the prompt in the batch
   * @param tokenId the new token
   * @param textDelta text that became final with this token (may be empty while a multi-byte
   *     character or a possible stop sequence is pending)
   */
  void onToken(int index, int tokenId, String textDelta);

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
