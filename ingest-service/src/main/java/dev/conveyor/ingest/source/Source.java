package dev.conveyor.ingest.source;

import dev.conveyor.ingest.repository.SourceState;

/** A place new data is pulled from. */
public interface Source {
  String name();

  /** {@code http}, {@code s3} or {@code directory}. */
  String type();

  /** URL, {@code s3://bucket/prefix} or directory, for manifests and logs. */
  String location();

  String dataset();

  /** {@code qa} or {@code text}. */
  String format();

  /**
   * Fetches everything new since {@code state}. Throws on any failure; nothing is changed at the
   * source until {@link Pull#commit()} runs after the version is committed.
   */
  Pull fetch(SourceState state) throws Exception;
}
