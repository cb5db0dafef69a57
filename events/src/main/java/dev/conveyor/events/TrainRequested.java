package dev.conveyor.events;

import java.util.Map;

/** Train model X on dataset version Y. Key: the model name. */
public record TrainRequested(
    String requestId,
    String model,
    DatasetRef dataset,
    BaseModel baseModel,
    Map<String, Object> config,
    Reason reason,
    String requestedBy)
    implements EventData {

  /** Why a training run was requested. */
  public enum Reason implements WireEnum {
    NEW_DATA,
    DEGRADED,
    NOT_PROFICIENT,
    NO_CHAMPION,
    MANUAL,
    CONFIG_CHANGE
  }

  public TrainRequested {
    // sorted, so the JSON (and its digest) is the same in every JVM
    config =
        config == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(config));
  }

  @Override
  public String key() {
    return model;
  }
}
