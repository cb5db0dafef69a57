package dev.conveyor.events;

/** What a training run starts from: scratch, or a registered model version's artifact. */
public record BaseModel(Kind kind, @Nullable Long version, @Nullable ArtifactRef artifact) {

  /** Scratch or fine-tune. */
  public enum Kind implements WireEnum {
    SCRATCH,
    MODEL
  }

  public BaseModel {
    if (kind == Kind.MODEL && (version == null || artifact == null)) {
      throw new IllegalArgumentException(
          "baseModel of kind 'model' needs 'version' and 'artifact'");
    }
  }

  /** Train from scratch. */
  public static BaseModel scratch() {
    return new BaseModel(Kind.SCRATCH, null, null);
  }

  /** Fine-tune the given version. */
  public static BaseModel of(long version, ArtifactRef artifact) {
    return new BaseModel(Kind.MODEL, version, artifact);
  }

  /** A short label: {@code scratch} or {@code v<N>}. */
  public String label() {
    return kind == Kind.SCRATCH ? "scratch" : "v" + version;
  }
}
