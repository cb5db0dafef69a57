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
    // sorted, so the JSON (and its digest) is the same in every JVM
    evidence =
        evidence == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(evidence));
  }

  @Override
  public String key() {
    return model;
  }
}
