package dev.conveyor.model.artifact;

import java.util.Map;

/**
 * Caller-supplied metadata for an artifact's manifest and model card.
 *
 * @param name model name (e.g. "qa-assistant")
 * @param version model version label
 * @param datasetDigest digest of the training dataset as the platform identifies it
 * @param baseModel name/version of the base model for fine-tunes, null when trained from scratch
 * @param configHash config hash; null lets the trainer fill in its own
 * @param metrics evaluation or training metrics (name -> value)
 * @param dataDescription what the data is, for the model card
 * @param intendedUse what the model is for, for the model card
 * @param datasetName name of the training dataset (with {@code datasetVersion}: where to find it
 *     without searching by digest), or null
 * @param datasetVersion version of that dataset, or null
 */
public record ArtifactInfo(
    String name,
    String version,
    String datasetDigest,
    String baseModel,
    String configHash,
    Map<String, Double> metrics,
    String dataDescription,
    String intendedUse,
    String datasetName,
    Long datasetVersion) {

  public ArtifactInfo {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an artifact needs a name");
    }
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  /** Minimal metadata: a name and a dataset digest. */
  public static ArtifactInfo of(String name, String datasetDigest) {
    return new ArtifactInfo(name, "1", datasetDigest, null, null, Map.of(), null, null, null, null);
  }

  /** A copy with the config hash set. */
  public ArtifactInfo withConfigHash(String hash) {
    return new ArtifactInfo(
        name,
        version,
        datasetDigest,
        baseModel,
        hash,
        metrics,
        dataDescription,
        intendedUse,
        datasetName,
        datasetVersion);
  }

  /** A copy with the metrics set. */
  public ArtifactInfo withMetrics(Map<String, Double> m) {
    return new ArtifactInfo(
        name,
        version,
        datasetDigest,
        baseModel,
        configHash,
        m,
        dataDescription,
        intendedUse,
        datasetName,
        datasetVersion);
  }

  /** A copy naming the training dataset's version. */
  public ArtifactInfo withDataset(String dataset, long datasetVersionNumber) {
    return new ArtifactInfo(
        name,
        version,
        datasetDigest,
        baseModel,
        configHash,
        metrics,
        dataDescription,
        intendedUse,
        dataset,
        datasetVersionNumber);
  }

  /** A copy with the base model set. */
  public ArtifactInfo withBaseModel(String base) {
    return new ArtifactInfo(
        name,
        version,
        datasetDigest,
        base,
        configHash,
        metrics,
        dataDescription,
        intendedUse,
        datasetName,
        datasetVersion);
  }
}
