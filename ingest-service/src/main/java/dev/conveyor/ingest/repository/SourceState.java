package dev.conveyor.ingest.repository;

import java.time.Instant;

/** Where a source got to; {@code cursor} and {@code etag} move only on a committed pull. */
public record SourceState(
    String source,
    String cursor,
    String etag,
    Instant lastAttemptAt,
    Instant lastSuccessAt,
    int consecutiveFailures,
    String lastError) {

  public static SourceState fresh(String source) {
    return new SourceState(source, null, null, null, null, 0, null);
  }
}
