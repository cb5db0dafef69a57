package dev.conveyor.serving.service;

import dev.conveyor.events.ArtifactRef;

/**
 * What to load: a promoted (or champion) version and its artifact.
 *
 * @param model model name
 * @param version registry version
 * @param artifact archive location, sha256 digest and size
 * @param datasetDigest dataset the version was trained on
 */
public record ModelSource(String model, long version, ArtifactRef artifact, String datasetDigest) {

  /** The identity the loaded model will carry. */
  public ModelIdentity identity() {
    return new ModelIdentity(model, version, datasetDigest, artifact.digest(), artifact.uri());
  }
}
