package dev.conveyor.events;

import java.util.List;
import java.util.Optional;

/** The registry of every event type; look-ups by topic and by CloudEvents type. */
public final class EventTypes {
  public static final EventType<DataArrived> DATA_ARRIVED =
      of(Topics.DATA_ARRIVED, DataArrived.class);
  public static final EventType<TrainRequested> TRAIN_REQUESTED =
      of(Topics.TRAIN_REQUESTED, TrainRequested.class);
  public static final EventType<ModelTrained> MODEL_TRAINED =
      of(Topics.MODEL_TRAINED, ModelTrained.class);
  public static final EventType<ModelEvaluated> MODEL_EVALUATED =
      of(Topics.MODEL_EVALUATED, ModelEvaluated.class);
  public static final EventType<ModelPromoted> MODEL_PROMOTED =
      of(Topics.MODEL_PROMOTED, ModelPromoted.class);
  public static final EventType<RollbackRequested> ROLLBACK_REQUESTED =
      of(Topics.ROLLBACK_REQUESTED, RollbackRequested.class);
  public static final EventType<TrainingProgress> TRAINING_PROGRESS =
      of(Topics.TRAINING_PROGRESS, TrainingProgress.class);

  /** Every event type, in flow order. */
  public static final List<EventType<?>> ALL =
      List.of(
          DATA_ARRIVED,
          TRAIN_REQUESTED,
          MODEL_TRAINED,
          MODEL_EVALUATED,
          MODEL_PROMOTED,
          ROLLBACK_REQUESTED,
          TRAINING_PROGRESS);

  private EventTypes() {}

  private static <T extends EventData> EventType<T> of(String topic, Class<T> type) {
    return new EventType<>(topic, EventType.ceTypeOf(topic), type);
  }

  /** The event type published on a topic. */
  public static Optional<EventType<?>> byTopic(String topic) {
    return ALL.stream().filter(t -> t.topic().equals(topic)).findFirst();
  }

  /** The event type with a CloudEvents type name. */
  public static Optional<EventType<?>> byCeType(String ceType) {
    return ALL.stream().filter(t -> t.ceType().equals(ceType)).findFirst();
  }

  /** The event type whose data is {@code dataClass}. */
  @SuppressWarnings("unchecked")
  public static <T extends EventData> EventType<T> of(Class<T> dataClass) {
    return (EventType<T>)
        ALL.stream()
            .filter(t -> t.dataClass().equals(dataClass))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("not an event: " + dataClass));
  }
}
