package dev.conveyor.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTest {

  private static Map<String, String> headersOf(EventData data) {
    CloudEventMeta meta =
        CloudEventMeta.create(EventTypes.of(data.getClass()), Sources.CLI)
            .withExtension(
                CloudEventAttributes.TRACEPARENT,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .withExtension(CloudEventAttributes.DATASET_DIGEST, "sha256:abc");
    return new LinkedHashMap<>(CloudEventHeaders.encode(meta));
  }

  @Test
  void binaryModeHeadersRoundTrip() {
    EventData data = EventExamples.modelPromoted();
    Map<String, String> headers = headersOf(data);
    assertEquals("1.0", headers.get("ce_specversion"));
    assertEquals("dev.conveyor.model-promoted.v1", headers.get("ce_type"));
    assertEquals("application/json", headers.get("content-type"));
    CloudEvent<?> event =
        CloudEventHeaders.read(Topics.MODEL_PROMOTED, headers, EventCodec.encode(data));
    assertEquals(data, event.data());
    assertEquals("sha256:abc", event.meta().extensions().get("datasetdigest"));
    assertEquals(
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", event.meta().traceparent());
    assertEquals(headers, CloudEventHeaders.encode(event.meta()));
  }

  @Test
  void missingTypeIsNamed() {
    Map<String, String> headers = headersOf(EventExamples.dataArrived());
    headers.remove("ce_type");
    var e =
        assertThrows(
            InvalidEventException.class,
            () -> CloudEventHeaders.read(Topics.DATA_ARRIVED, headers, "{}"));
    assertEquals("missing required CloudEvents attribute 'ce_type'", e.getMessage());
  }

  @Test
  void unknownTypeAndWrongTopicAreRefused() {
    Map<String, String> headers = headersOf(EventExamples.dataArrived());
    headers.put("ce_type", "dev.conveyor.nonsense.v1");
    assertEquals(
        "unknown event type 'dev.conveyor.nonsense.v1'",
        assertThrows(
                InvalidEventException.class,
                () -> CloudEventHeaders.read(Topics.DATA_ARRIVED, headers, "{}"))
            .getMessage());
    Map<String, String> promoted = headersOf(EventExamples.modelPromoted());
    assertEquals(
        "event type 'dev.conveyor.model-promoted.v1' does not belong on topic 'data-arrived'",
        assertThrows(
                InvalidEventException.class,
                () -> CloudEventHeaders.read(Topics.DATA_ARRIVED, promoted, "{}"))
            .getMessage());
  }

  @Test
  void badTimeIsRefused() {
    Map<String, String> headers = headersOf(EventExamples.dataArrived());
    headers.put("ce_time", "yesterday");
    assertThrows(InvalidEventException.class, () -> CloudEventHeaders.decode(headers));
  }
}
