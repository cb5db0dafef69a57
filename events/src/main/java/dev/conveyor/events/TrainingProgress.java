package dev.conveyor.events;

/** Throttled progress of a running training job. Key: the model name. */
public record TrainingProgress(
    String runId,
    String model,
    long step,
    long totalSteps,
    double loss,
    double tokensPerSecond,
    long etaSeconds)
    implements EventData {

  @Override
  public String key() {
    return model;
  }
}
