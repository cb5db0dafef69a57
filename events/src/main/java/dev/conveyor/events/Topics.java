package dev.conveyor.events;

import java.util.List;

/** Kafka topic names; SmallRye channel names equal these names everywhere. */
public final class Topics {
  public static final String DATA_ARRIVED = "data-arrived";
  public static final String TRAIN_REQUESTED = "train-requested";
  public static final String MODEL_TRAINED = "model-trained";
  public static final String MODEL_EVALUATED = "model-evaluated";
  public static final String MODEL_PROMOTED = "model-promoted";
  public static final String ROLLBACK_REQUESTED = "rollback-requested";
  public static final String TRAINING_PROGRESS = "training-progress";

  /** Suffix of the dead-letter topic that belongs to each topic. */
  public static final String DLQ_SUFFIX = ".dlq";

  /** Header the dead-letter record carries with the reason (SmallRye's name, kept as is). */
  public static final String DLQ_REASON_HEADER = "dead-letter-reason";

  /** Every event topic, in flow order. */
  public static final List<String> ALL =
      List.of(
          DATA_ARRIVED,
          TRAIN_REQUESTED,
          MODEL_TRAINED,
          MODEL_EVALUATED,
          MODEL_PROMOTED,
          ROLLBACK_REQUESTED,
          TRAINING_PROGRESS);

  private Topics() {}

  /** The dead-letter topic of {@code topic}. */
  public static String dlq(String topic) {
    return topic + DLQ_SUFFIX;
  }

  /** Every event topic followed by its dead-letter topic. */
  public static List<String> allWithDlqs() {
    return ALL.stream().flatMap(t -> java.util.stream.Stream.of(t, dlq(t))).toList();
  }
}
