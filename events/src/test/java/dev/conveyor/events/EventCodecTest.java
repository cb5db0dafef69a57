package dev.conveyor.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  @Test
  void everyExampleRoundTrips() {
    for (EventData data : EventExamples.all()) {
      EventType<?> type = EventTypes.of(data.getClass());
      assertEquals(data, EventCodec.decode(type, EventCodec.encode(data)), type.topic());
    }
  }

  @Test
  void enumsTravelInKebabCase() {
    String json = EventCodec.encode(EventExamples.trainRequested());
    assertTrue(json.contains("\"reason\":\"new-data\""), json);
    assertTrue(json.contains("\"kind\":\"model\""), json);
  }

  @Test
  void unknownFieldsAreTolerated() throws Exception {
    ObjectNode node =
        (ObjectNode) EventCodec.mapper().readTree(EventCodec.encode(EventExamples.dataArrived()));
    node.put("addedInV2", "whatever").with("counts").put("validated", 3);
    DataArrived back = EventCodec.decode(EventTypes.DATA_ARRIVED, node.toString());
    assertEquals(EventExamples.dataArrived(), back);
  }

  @Test
  void missingRequiredFieldIsNamedWithItsPath() throws Exception {
    ObjectNode node =
        (ObjectNode) EventCodec.mapper().readTree(EventCodec.encode(EventExamples.dataArrived()));
    node.remove("version");
    node.with("counts").remove("train");
    var e =
        assertThrows(
            InvalidEventException.class,
            () -> EventCodec.decode(EventTypes.DATA_ARRIVED, node.toString()));
    assertEquals(
        "data-arrived: version: missing required field; counts.train: missing required field",
        e.getMessage());
  }

  @Test
  void nullableFieldMayBeAbsent() throws Exception {
    ObjectNode node =
        (ObjectNode) EventCodec.mapper().readTree(EventCodec.encode(EventExamples.dataArrived()));
    node.remove("parentVersion");
    assertEquals(null, EventCodec.decode(EventTypes.DATA_ARRIVED, node.toString()).parentVersion());
  }

  @Test
  void wrongTypesAndEnumValuesAreNamed() throws Exception {
    ObjectNode node =
        (ObjectNode)
            EventCodec.mapper().readTree(EventCodec.encode(EventExamples.trainRequested()));
    node.put("reason", "because");
    node.with("dataset").put("version", "three");
    var e =
        assertThrows(
            InvalidEventException.class,
            () -> EventCodec.decode(EventTypes.TRAIN_REQUESTED, node.toString()));
    assertTrue(e.getMessage().contains("dataset.version: expected an integer"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "reason: must be one of [new-data, degraded, not-proficient, no-champion,"
                    + " manual, config-change]"),
        e.getMessage());
  }

  @Test
  void crossFieldRulesAreEnforced() {
    String json = "{\"kind\":\"model\"}"; // a fine-tune without the base version cannot be trained
    var e =
        assertThrows(
            InvalidEventException.class,
            () ->
                EventCodec.decode(
                    EventTypes.TRAIN_REQUESTED,
                    EventCodec.encode(EventExamples.trainRequested())
                        .replaceFirst(
                            "\"baseModel\":\\{[^}]*\\}[^}]*\\}", "\"baseModel\":" + json)));
    assertTrue(e.getMessage().contains("needs 'version' and 'artifact'"), e.getMessage());
  }

  @Test
  void badJsonIsAClearError() {
    var e =
        assertThrows(
            InvalidEventException.class,
            () -> EventCodec.decode(EventTypes.MODEL_PROMOTED, "{not json"));
    assertTrue(e.getMessage().startsWith("model-promoted: data is not valid JSON"), e.getMessage());
  }

  @Test
  void keysFollowTheRules() {
    assertEquals("qa-world", EventExamples.dataArrived().key());
    for (EventData d : EventExamples.all().subList(1, 7)) {
      assertEquals("qa", d.key(), d.getClass().getSimpleName());
    }
  }
}
