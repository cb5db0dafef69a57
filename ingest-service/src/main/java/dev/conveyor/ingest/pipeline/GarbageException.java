package dev.conveyor.ingest.pipeline;

/**
 * A payload that is not data at all (binary, an HTML error page, truncated gzip): fails the pull.
 */
public class GarbageException extends Exception {
  private static final long serialVersionUID = 1L;

  public GarbageException(String message) {
    super(message);
  }

  public GarbageException(String message, Throwable cause) {
    super(message, cause);
  }
}
