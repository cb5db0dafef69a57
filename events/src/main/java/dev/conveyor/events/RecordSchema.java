package dev.conveyor.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The shape of an event record, derived from the record itself: it validates incoming JSON (every
 * problem named by its path) and writes the JSON Schema shipped in the module's resources.
 */
public final class RecordSchema {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private RecordSchema() {}

  /** Every contract violation of {@code node} as data of {@code type}, as "path: problem". */
  public static List<String> violations(JsonNode node, Class<?> type) {
    List<String> out = new ArrayList<>();
    check(node, type, "", out);
    return out;
  }

  /** The JSON Schema (draft 2020-12) of an event's data. */
  public static ObjectNode jsonSchema(EventType<?> type) {
    ObjectNode schema = (ObjectNode) schemaOf(type.dataClass());
    ObjectNode root = JSON.objectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("$id", "https://conveyor.dev/schemas/" + type.topic() + ".schema.json");
    root.put("title", type.ceType());
    root.put("description", "Data of the " + type.topic() + " event (CloudEvents binary mode).");
    root.setAll(schema);
    return root;
  }

  private static void check(JsonNode node, Type type, String path, List<String> out) {
    Class<?> raw = raw(type);
    String at = path.isEmpty() ? "data" : path;
    if (raw.isRecord()) {
      if (!node.isObject()) {
        out.add(at + ": expected an object, got " + node.getNodeType().name().toLowerCase());
        return;
      }
      for (RecordComponent c : raw.getRecordComponents()) {
        JsonNode value = node.get(c.getName());
        String child = path.isEmpty() ? c.getName() : path + "." + c.getName();
        if (value == null || value.isNull()) {
          if (!c.isAnnotationPresent(Nullable.class)) {
            out.add(child + ": missing required field");
          }
          continue;
        }
        check(value, c.getGenericType(), child, out);
      }
    } else if (raw == String.class) {
      expect(node.isTextual(), "a string", node, at, out);
    } else if (raw == long.class || raw == Long.class || raw == int.class || raw == Integer.class) {
      expect(node.isIntegralNumber(), "an integer", node, at, out);
    } else if (raw == double.class || raw == Double.class) {
      expect(node.isNumber(), "a number", node, at, out);
    } else if (raw == boolean.class || raw == Boolean.class) {
      expect(node.isBoolean(), "a boolean", node, at, out);
    } else if (raw == Instant.class) {
      checkInstant(node, at, out);
    } else if (raw.isEnum()) {
      checkEnum(node, raw, at, out);
    } else if (List.class.isAssignableFrom(raw)) {
      checkList(node, type, at, out);
    } else if (Map.class.isAssignableFrom(raw)) {
      checkMap(node, type, at, out);
    }
  }

  private static void checkInstant(JsonNode node, String at, List<String> out) {
    if (!node.isTextual()) {
      out.add(at + ": expected an RFC 3339 timestamp string");
      return;
    }
    try {
      Instant.parse(node.asText());
    } catch (DateTimeParseException e) {
      out.add(at + ": not an RFC 3339 timestamp: '" + node.asText() + "'");
    }
  }

  private static void checkEnum(JsonNode node, Class<?> raw, String at, List<String> out) {
    boolean known =
        node.isTextual()
            && Arrays.stream(raw.getEnumConstants())
                .anyMatch(e -> ((WireEnum) e).wire().equals(node.asText()));
    if (!known) {
      out.add(at + ": must be one of " + WireEnum.allowed(raw) + ", got " + node);
    }
  }

  private static void checkList(JsonNode node, Type type, String at, List<String> out) {
    if (!node.isArray()) {
      out.add(at + ": expected an array");
      return;
    }
    Type item = typeArg(type, 0);
    for (int i = 0; i < node.size(); i++) {
      check(node.get(i), item, at + "[" + i + "]", out);
    }
  }

  private static void checkMap(JsonNode node, Type type, String at, List<String> out) {
    if (!node.isObject()) {
      out.add(at + ": expected an object");
      return;
    }
    Type value = typeArg(type, 1);
    if (value == Object.class) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      check(e.getValue(), value, at + "." + e.getKey(), out);
    }
  }

  private static void expect(boolean ok, String what, JsonNode node, String at, List<String> out) {
    if (!ok) {
      out.add(at + ": expected " + what + ", got " + node.getNodeType().name().toLowerCase());
    }
  }

  private static JsonNode schemaOf(Type type) {
    Class<?> raw = raw(type);
    ObjectNode s = JSON.objectNode();
    if (raw.isRecord()) {
      s.put("type", "object");
      ObjectNode props = s.putObject("properties");
      ArrayNode required = JSON.arrayNode();
      for (RecordComponent c : raw.getRecordComponents()) {
        JsonNode child = schemaOf(c.getGenericType());
        if (c.isAnnotationPresent(Nullable.class)) {
          ObjectNode nullable = JSON.objectNode();
          nullable.putArray("anyOf").add(child).add(JSON.objectNode().put("type", "null"));
          props.set(c.getName(), nullable);
        } else {
          props.set(c.getName(), child);
          required.add(c.getName());
        }
      }
      s.set("required", required);
      s.put("additionalProperties", true);
    } else if (raw == String.class) {
      s.put("type", "string");
    } else if (raw == long.class || raw == Long.class || raw == int.class || raw == Integer.class) {
      s.put("type", "integer");
    } else if (raw == double.class || raw == Double.class) {
      s.put("type", "number");
    } else if (raw == boolean.class || raw == Boolean.class) {
      s.put("type", "boolean");
    } else if (raw == Instant.class) {
      s.put("type", "string").put("format", "date-time");
    } else if (raw.isEnum()) {
      ArrayNode values = s.put("type", "string").putArray("enum");
      Arrays.stream(raw.getEnumConstants()).forEach(e -> values.add(((WireEnum) e).wire()));
    } else if (List.class.isAssignableFrom(raw)) {
      s.put("type", "array").set("items", schemaOf(typeArg(type, 0)));
    } else if (Map.class.isAssignableFrom(raw)) {
      s.put("type", "object");
      Type value = typeArg(type, 1);
      if (value != Object.class) {
        s.set("additionalProperties", schemaOf(value));
      }
    }
    return s;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  private static Type typeArg(Type type, int index) {
    return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
  }
}
