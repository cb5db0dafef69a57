package dev.conveyor.trainer.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.InvalidEventException;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.web.ProblemException;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Turns the body of {@code POST /runs} into a {@link TrainRequested}: the contract's fields without
 * {@code requestId} and {@code requestedBy} (the service sets both), with defaults for the optional
 * ones, validated by the contract's own codec. Every problem is a 400 naming the field.
 */
final class ManualRequests {
  static final List<String> FIELDS = List.of("model", "dataset", "baseModel", "config", "reason");
  static final List<String> REASONS = List.of("manual", "config-change");

  private ManualRequests() {}

  static TrainRequested parse(String body, String user) {
    if (body == null || body.isBlank()) {
      throw bad(
          "a JSON body is required: {\"model\", \"dataset\": {\"name\", \"version\", \"digest\"}}");
    }
    JsonNode node;
    try {
      node = EventCodec.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw bad("body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw bad("body must be a JSON object");
    }
    ObjectNode o = (ObjectNode) node;
    // strict, unlike the codec: a misspelt optional field would silently train with defaults
    for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.equals("requestId") || name.equals("requestedBy")) {
        throw bad("'" + name + "' is set by the service");
      }
      if (!FIELDS.contains(name)) {
        throw bad("unknown field '" + name + "' (fields: " + String.join(", ", FIELDS) + ")");
      }
    }
    JsonNode model = o.get("model");
    if (model == null || model.isNull()) {
      throw bad("model: missing required field");
    }
    if (!model.isTextual() || !model.asText().matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw bad("model: must be a name of [a-z0-9._-], at most 64 characters");
    }
    if (o.get("dataset") == null || o.get("dataset").isNull()) {
      throw bad("dataset: missing required field");
    }
    JsonNode digest = o.get("dataset").get("digest");
    if (digest != null && digest.isTextual() && !digest.asText().matches("sha256:[0-9a-f]{64}")) {
      throw bad("dataset.digest: must be sha256:<64 hex>");
    }
    if (o.get("reason") == null || o.get("reason").isNull()) {
      o.put("reason", "manual");
    } else if (!REASONS.contains(o.get("reason").asText())) {
      throw bad("reason: must be one of " + REASONS);
    }
    if (o.get("baseModel") == null || o.get("baseModel").isNull()) {
      o.putObject("baseModel").put("kind", "scratch");
    }
    if (o.get("config") == null || o.get("config").isNull()) {
      o.putObject("config");
    } else if (!o.get("config").isObject()) {
      throw bad("config: must be an object of overrides");
    }
    o.put("requestId", "req-" + UUID.randomUUID());
    o.put("requestedBy", user);
    try {
      return EventCodec.decode(EventTypes.TRAIN_REQUESTED, o.toString());
    } catch (InvalidEventException e) {
      String prefix = EventTypes.TRAIN_REQUESTED.topic() + ": ";
      String m = e.getMessage();
      throw bad(m.startsWith(prefix) ? m.substring(prefix.length()) : m);
    }
  }

  private static ProblemException bad(String detail) {
    return ProblemException.badRequest(detail);
  }
}
