package dev.conveyor.events;

import java.time.Instant;

/** A version is now the champion (promotion or rollback). Key: the model name. */
public record ModelPromoted(
    String model,
    long version,
    @Nullable Long previousVersion,
    Reason reason,
    String actor,
    Instant promotedAt,
    ArtifactRef artifact,
    String datasetDigest,
    @Nullable String evaluationId)
    implements EventData {

  /** Why the champion alias moved. */
  public enum Reason implements WireEnum {
    GATE,
    MANUAL,
    ROLLBACK
  }

  @Override
  public String key() {
    return model;
  }
}
