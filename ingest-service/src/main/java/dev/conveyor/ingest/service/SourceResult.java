package dev.conveyor.ingest.service;

import dev.conveyor.storage.dataset.DatasetManifest;

/**
 * What one pull of one source did.
 *
 * @param status {@code created}, {@code no-new-records}, {@code not-modified} or {@code failed}
 */
public record SourceResult(
    String source,
    String dataset,
    String status,
    Long version,
    String manifestUri,
    String manifestDigest,
    DatasetManifest.Counts counts,
    int attempts,
    String error) {

  public static final String CREATED = "created";
  public static final String NO_NEW_RECORDS = "no-new-records";
  public static final String NOT_MODIFIED = "not-modified";
  public static final String FAILED = "failed";
}
