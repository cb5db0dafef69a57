package dev.conveyor.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventExamples;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import dev.conveyor.localstack.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class CloudEventsOverKafkaTest {
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Inject ContractPublisher publisher;
  @Inject ContractListener listener;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void everyEventRoundTripsWithEveryAttribute() throws Exception {
    for (EventData data : EventExamples.all()) {
      String topic = EventTypes.of(data.getClass()).topic();
      CloudEventMeta sent =
          new CloudEventMeta(
              "it-" + topic + "-" + System.nanoTime(),
              Sources.CLI,
              EventTypes.of(data.getClass()).ceType(),
              Instant.now().truncatedTo(ChronoUnit.MILLIS),
              "subject-" + topic,
              Map.of(
                  CloudEventAttributes.TRACEPARENT, TRACEPARENT,
                  CloudEventAttributes.DATASET_DIGEST, "sha256:feed",
                  CloudEventAttributes.MODEL_VERSION, "qa:4",
                  CloudEventAttributes.RUN_ID, "run-5d1c9e"));
      publisher
          .send(OutgoingEvents.message(data, sent), data)
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      CloudEvent<?> got =
          Await.until(() -> find(topic, sent.id()), "SmallRye consumer of " + topic);
      assertEquals(data, got.data(), topic);
      assertEquals(sent.id(), got.meta().id());
      assertEquals(sent.source(), got.meta().source());
      assertEquals(sent.type(), got.meta().type());
      assertEquals(sent.time(), got.meta().time());
      assertEquals(sent.subject(), got.meta().subject());
      assertEquals(sent.extensions(), got.meta().extensions());

      var raw =
          new TestKafka(bootstrap)
              .records(topic, r -> sent.id().equals(TestKafka.header(r, "ce_id"))).stream()
                  .findFirst()
                  .orElseThrow();
      assertEquals(data.key(), raw.key(), "record key rule");
      assertEquals("1.0", TestKafka.header(raw, "ce_specversion"));
      assertEquals(TRACEPARENT, TestKafka.header(raw, "ce_traceparent"));
      assertEquals("run-5d1c9e", TestKafka.header(raw, "ce_runid"));
      assertEquals(EventCodec.encode(data), raw.value());
    }
  }

  @Test
  void malformedRecordsGoToTheDlqWithAReasonAndTheConsumerGoesOn() throws Exception {
    String topic = Topics.MODEL_TRAINED;
    String good = EventCodec.encode(EventExamples.modelTrained());
    Map<String, String> ce =
        Map.of(
            "ce_specversion", "1.0",
            "ce_source", "/it",
            "ce_type", EventTypes.MODEL_TRAINED.ceType(),
            "content-type", "application/json");
    String run = "dlq-" + System.nanoTime();
    TestKafka kafka = new TestKafka(bootstrap);
    kafka.send(topic, "qa", with(ce, "ce_id", run + "-badjson"), "{\"runId\": oops");
    Map<String, String> noType = new java.util.HashMap<>(with(ce, "ce_id", run + "-notype"));
    noType.remove("ce_type");
    kafka.send(topic, "qa", noType, good);
    kafka.send(
        topic,
        "qa",
        with(with(ce, "ce_id", run + "-unknown"), "ce_type", "dev.conveyor.nonsense.v1"),
        good);
    kafka.send(topic, "qa", with(ce, "ce_id", run + "-good"), good);

    Await.until(() -> find(topic, run + "-good"), "the good record after three bad ones");
    List<String> reasons =
        Await.until(
            () -> {
              var dead =
                  kafka.deadLetters(topic).stream()
                      .filter(d -> d.header("ce_id") != null && d.header("ce_id").startsWith(run))
                      .map(d -> d.header("ce_id") + " => " + d.reason())
                      .sorted()
                      .toList();
              return dead.size() == 3 ? dead : null;
            },
            "three dead letters");
    assertTrue(
        reasons.get(0).startsWith(run + "-badjson => model-trained: data is not valid JSON"),
        reasons.get(0));
    assertEquals(
        run + "-notype => missing required CloudEvents attribute 'ce_type'", reasons.get(1));
    assertEquals(run + "-unknown => unknown event type 'dev.conveyor.nonsense.v1'", reasons.get(2));
  }

  private static Map<String, String> with(Map<String, String> base, String k, String v) {
    Map<String, String> m = new java.util.HashMap<>(base);
    m.put(k, v);
    return m;
  }

  private CloudEvent<?> find(String topic, String id) {
    return listener.received(topic).stream()
        .filter(e -> e.meta().id().equals(id))
        .findFirst()
        .orElse(null);
  }
}
