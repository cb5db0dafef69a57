package dev.conveyor.storage.dataset;

/**
 * One example: a prompt/completion pair ({@code text} null) or a corpus window ({@code prompt} and
 * {@code completion} null). {@code id} is the sha256 hex of its normalized content.
 */
public record DatasetRecord(String id, String prompt, String completion, String text) {

  /** A Q&A pair. */
  public static DatasetRecord qa(String id, String prompt, String completion) {
    return new DatasetRecord(id, prompt, completion, null);
  }

  /** A window of a plain-text corpus. */
  public static DatasetRecord text(String id, String text) {
    return new DatasetRecord(id, null, null, text);
  }

  public boolean isQa() {
    return text == null;
  }
}
