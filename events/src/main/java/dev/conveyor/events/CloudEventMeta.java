package dev.conveyor.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The CloudEvents context attributes of one event, extensions included. */
public record CloudEventMeta(
    String id,
    String source,
    String type,
    @Nullable Instant time,
    @Nullable String subject,
    Map<String, String> extensions) {

  public CloudEventMeta {
    extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
  }

  /** Fresh attributes for a new event of {@code type} from {@code source}. */
  public static CloudEventMeta create(EventType<?> type, String source) {
    return new CloudEventMeta(
        UUID.randomUUID().toString(), source, type.ceType(), Instant.now(), null, Map.of());
  }

  /** The same attributes with one more extension (a null value removes nothing and adds none). */
  public CloudEventMeta withExtension(String name, String value) {
    if (value == null) {
      return this;
    }
    var copy = new java.util.LinkedHashMap<>(extensions);
    copy.put(name, value);
    return new CloudEventMeta(id, source, type, time, subject, copy);
  }

  /** The same attributes with a subject. */
  public CloudEventMeta withSubject(String newSubject) {
    return new CloudEventMeta(id, source, type, time, newSubject, extensions);
  }

  /** The W3C traceparent, if the event carries one. */
  public String traceparent() {
    return extensions.get(CloudEventAttributes.TRACEPARENT);
  }
}
