package dev.conveyor.events;

/** One Conveyor event: CloudEvents attributes plus typed data. */
public record CloudEvent<T extends EventData>(CloudEventMeta meta, T data) {

  /** The Kafka record key. */
  public String key() {
    return data.key();
  }
}
