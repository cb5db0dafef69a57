package dev.conveyor.events;

import java.util.Map;

/** Roll the champion back to the previous version; published by serving or a user. */
public record RollbackRequested(
    String requestId,
    String model,
    long fromVersion,
    String reason,
    Map<String, Double> evidence,
    String requestedBy)
    implements EventData {

  public RollbackRequested {
    evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
  }

  @Override
  public String key() {
    return model;
  }
}
