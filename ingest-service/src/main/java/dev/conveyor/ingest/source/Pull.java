package dev.conveyor.ingest.source;

import dev.conveyor.ingest.pipeline.Payload;
import java.util.List;

/**
 * What one fetch returned: the payloads, the cursor and ETag to store once they are committed, and
 * what to do at the source afterwards (e.g. move inbox objects to {@code processed/}).
 */
public record Pull(
    List<Payload> payloads,
    String cursor,
    String etag,
    boolean notModified,
    AfterCommit afterCommit) {

  /** Source-side effects that must only happen after the version is committed. */
  @FunctionalInterface
  public interface AfterCommit {
    void run() throws Exception;
  }

  public static Pull notModified(String cursor, String etag) {
    return new Pull(List.of(), cursor, etag, true, () -> {});
  }

  public void commit() throws Exception {
    afterCommit.run();
  }
}
