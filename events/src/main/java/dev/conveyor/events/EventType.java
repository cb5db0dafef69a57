package dev.conveyor.events;

/**
 * One kind of Conveyor event: its topic, CloudEvents type ({@code dev.conveyor.<name>.v1}) and the
 * record that carries its data.
 */
public record EventType<T extends EventData>(String topic, String ceType, Class<T> dataClass) {

  /** The CloudEvents type name for a topic name. */
  public static String ceTypeOf(String topic) {
    return "dev.conveyor." + topic + ".v1";
  }
}
