package dev.conveyor.serving.service;

/**
 * Which model produced an answer, so every response can be traced to its model and data.
 *
 * @param name registered model name
 * @param version registry version
 * @param datasetDigest digest of the dataset it was trained on
 * @param artifactDigest sha256 of the artifact archive
 * @param artifactUri where the archive was downloaded from
 */
public record ModelIdentity(
    String name, long version, String datasetDigest, String artifactDigest, String artifactUri) {

  /** {@code qa v3}. */
  public String label() {
    return name + " v" + version;
  }
}
