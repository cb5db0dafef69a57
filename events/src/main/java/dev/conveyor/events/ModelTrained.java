package dev.conveyor.events;

/** A candidate artifact is stored, or the run failed and why. Key: the model name. */
public record ModelTrained(
    String runId,
    String requestId,
    String model,
    @Nullable ArtifactRef artifact,
    DatasetRef dataset,
    BaseModel baseModel,
    String configHash,
    @Nullable Metrics metrics,
    Outcome outcome)
    implements EventData {

  /** What the run measured. */
  public record Metrics(
      double finalLoss, long steps, double tokensPerSecond, long durationMillis) {}

  /** Succeeded, or failed with a reason a person can act on. */
  public record Outcome(Status status, @Nullable String reason) {

    /** How a run ended. */
    public enum Status implements WireEnum {
      SUCCEEDED,
      FAILED
    }

    public static Outcome succeeded() {
      return new Outcome(Status.SUCCEEDED, null);
    }

    public static Outcome failed(String reason) {
      return new Outcome(Status.FAILED, reason);
    }
  }

  public ModelTrained {
    if (outcome != null && outcome.status() == Outcome.Status.SUCCEEDED && artifact == null) {
      throw new IllegalArgumentException("a succeeded model-trained needs 'artifact'");
    }
  }

  @Override
  public String key() {
    return model;
  }

  /** True when the run produced an artifact. */
  public boolean succeeded() {
    return outcome.status() == Outcome.Status.SUCCEEDED;
  }
}
