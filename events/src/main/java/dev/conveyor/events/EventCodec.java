package dev.conveyor.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * JSON encoding of event data: strict on input (a missing or mistyped field is an {@link
 * InvalidEventException} naming it), tolerant of unknown fields for forward compatibility.
 */
public final class EventCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private EventCodec() {}

  /** The shared mapper (thread-safe); configured as the contract needs. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The JSON of an event's data. */
  public static String encode(EventData data) {
    try {
      return MAPPER.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + data.getClass().getSimpleName(), e);
    }
  }

  /** The UTF-8 JSON of an event's data. */
  public static byte[] encodeBytes(EventData data) {
    return encode(data).getBytes(StandardCharsets.UTF_8);
  }

  /** Parses and validates the data of an event of {@code type}. */
  public static <T extends EventData> T decode(EventType<T> type, String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(
          type.topic() + ": data is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidEventException(type.topic() + ": data is empty");
    }
    List<String> problems = RecordSchema.violations(node, type.dataClass());
    if (!problems.isEmpty()) {
      throw new InvalidEventException(type.topic() + ": " + String.join("; ", problems));
    }
    try {
      return MAPPER.treeToValue(node, type.dataClass());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new InvalidEventException(type.topic() + ": " + root.getMessage(), e);
    }
  }
}
