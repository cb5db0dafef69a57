package dev.conveyor.events;

import java.time.Instant;

/** A new immutable dataset version is in object storage. Key: the dataset name. */
public record DataArrived(
    String dataset,
    long version,
    String manifestUri,
    String manifestDigest,
    Counts counts,
    @Nullable Long parentVersion,
    String source,
    Instant createdAt)
    implements EventData {

  /** Records in this version (only what is new), by split. */
  public record Counts(long train, long test, long quarantined) {}

  @Override
  public String key() {
    return dataset;
  }

  /** This version as a reference for training requests. */
  public DatasetRef ref() {
    return new DatasetRef(dataset, version, manifestDigest);
  }
}
