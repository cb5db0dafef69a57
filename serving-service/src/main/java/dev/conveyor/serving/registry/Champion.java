package dev.conveyor.serving.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.conveyor.events.ArtifactRef;

/**
 * The registry's answer to {@code GET /models/{name}/aliases/champion}: the fields of {@code
 * ModelPromoted} that serving needs. Unknown fields are ignored; the flat {@code artifactUri/
 * artifactDigest/artifactSize} form is accepted too.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Champion(
    String model,
    String name,
    Long version,
    ArtifactRef artifact,
    String artifactUri,
    String artifactDigest,
    Long artifactSize,
    String datasetDigest) {

  /** The model name, whichever field carried it. */
  public String modelName() {
    return model != null ? model : name;
  }

  /** The artifact, whichever form carried it. */
  public ArtifactRef artifactRef() {
    if (artifact != null) {
      return artifact;
    }
    if (artifactUri == null || artifactDigest == null) {
      return null;
    }
    return new ArtifactRef(artifactUri, artifactDigest, artifactSize == null ? 0 : artifactSize);
  }
}
