package dev.conveyor.events;

/** The data of a Conveyor event; {@link #key()} is the Kafka record key. */
public interface EventData {

  /** The record key: the dataset name for data-arrived, the model name for every other event. */
  String key();
}
