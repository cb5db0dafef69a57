package dev.conveyor.events;

import static dev.conveyor.events.CloudEventAttributes.CONTENT_TYPE_HEADER;
import static dev.conveyor.events.CloudEventAttributes.HEADER_PREFIX;
import static dev.conveyor.events.CloudEventAttributes.JSON;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka binary-mode mapping of CloudEvents: attributes to {@code ce_*} headers and back, strict
 * about required attributes and the event type of each topic.
 */
public final class CloudEventHeaders {
  private CloudEventHeaders() {}

  /** The headers of an event in binary mode (values as strings; Kafka stores them as UTF-8). */
  public static Map<String, String> encode(CloudEventMeta meta) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(header(CloudEventAttributes.SPECVERSION), CloudEventAttributes.SPEC_VERSION);
    h.put(header(CloudEventAttributes.ID), meta.id());
    h.put(header(CloudEventAttributes.SOURCE), meta.source());
    h.put(header(CloudEventAttributes.TYPE), meta.type());
    if (meta.time() != null) {
      h.put(header(CloudEventAttributes.TIME), meta.time().toString());
    }
    if (meta.subject() != null) {
      h.put(header(CloudEventAttributes.SUBJECT), meta.subject());
    }
    h.put(CONTENT_TYPE_HEADER, JSON);
    meta.extensions().forEach((k, v) -> h.put(header(k), v));
    return h;
  }

  /** The attributes carried by {@code headers}; every required one must be present. */
  public static CloudEventMeta decode(Map<String, String> headers) {
    for (String required : CloudEventAttributes.REQUIRED) {
      String value = headers.get(header(required));
      if (value == null || value.isBlank()) {
        throw new InvalidEventException(
            "missing required CloudEvents attribute '" + header(required) + "'");
      }
    }
    String spec = headers.get(header(CloudEventAttributes.SPECVERSION));
    if (!CloudEventAttributes.SPEC_VERSION.equals(spec)) {
      throw new InvalidEventException("unsupported CloudEvents specversion '" + spec + "'");
    }
    String contentType = headers.get(CONTENT_TYPE_HEADER);
    if (contentType != null && !contentType.startsWith(JSON)) {
      throw new InvalidEventException("unsupported content-type '" + contentType + "'");
    }
    Map<String, String> ext = new LinkedHashMap<>();
    headers.forEach(
        (k, v) -> {
          if (k.startsWith(HEADER_PREFIX) && !isContextAttribute(k.substring(3))) {
            ext.put(k.substring(HEADER_PREFIX.length()), v);
          }
        });
    return new CloudEventMeta(
        headers.get(header(CloudEventAttributes.ID)),
        headers.get(header(CloudEventAttributes.SOURCE)),
        headers.get(header(CloudEventAttributes.TYPE)),
        parseTime(headers.get(header(CloudEventAttributes.TIME))),
        headers.get(header(CloudEventAttributes.SUBJECT)),
        ext);
  }

  /**
   * Reads a whole event that arrived on {@code topic}: headers checked, type known and belonging to
   * that topic, data validated.
   */
  public static CloudEvent<?> read(String topic, Map<String, String> headers, String data) {
    CloudEventMeta meta = decode(headers);
    EventType<?> type =
        EventTypes.byCeType(meta.type())
            .orElseThrow(
                () -> new InvalidEventException("unknown event type '" + meta.type() + "'"));
    if (!type.topic().equals(topic)) {
      throw new InvalidEventException(
          "event type '" + meta.type() + "' does not belong on topic '" + topic + "'");
    }
    return readAs(type, meta, data);
  }

  private static <T extends EventData> CloudEvent<T> readAs(
      EventType<T> type, CloudEventMeta meta, String data) {
    if (data == null) {
      throw new InvalidEventException(type.topic() + ": record has no data");
    }
    return new CloudEvent<>(meta, EventCodec.decode(type, data));
  }

  private static Instant parseTime(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidEventException("ce_time is not an RFC 3339 timestamp: '" + value + "'");
    }
  }

  private static boolean isContextAttribute(String name) {
    return switch (name) {
      case CloudEventAttributes.ID,
          CloudEventAttributes.SOURCE,
          CloudEventAttributes.TYPE,
          CloudEventAttributes.SPECVERSION,
          CloudEventAttributes.TIME,
          CloudEventAttributes.SUBJECT,
          CloudEventAttributes.DATA_CONTENT_TYPE ->
          true;
      default -> false;
    };
  }

  private static String header(String attribute) {
    return CloudEventAttributes.header(attribute);
  }
}
