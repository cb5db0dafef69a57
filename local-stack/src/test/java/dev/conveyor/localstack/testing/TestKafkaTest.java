package dev.conveyor.localstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventExamples;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.InvalidEventException;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.StackOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared test clients against a real broker: what goes in comes out, decoded and strict. */
class TestKafkaTest {
  @TempDir static Path dir;
  static LocalStack stack;
  static TestKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(StackOptions.forTests(dir));
    kafka = TestKafka.of(stack);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void aPublishedEventComesBackWithItsAttributesAndOnlyAfterAMarkFromThere() {
    TrainRequested before = request("before");
    kafka.publish(before);
    TestKafka.Mark mark = kafka.mark(Topics.TRAIN_REQUESTED);
    TrainRequested data = request("after");
    CloudEventMeta meta = kafka.publish(data);

    CloudEvent<TrainRequested> got =
        kafka.awaitEvent(
            EventTypes.TRAIN_REQUESTED,
            t -> t.requestId().equals(data.requestId()),
            Duration.ofSeconds(30));
    assertEquals(data, got.data());
    assertEquals(meta.id(), got.meta().id());
    assertEquals(TestKafka.SOURCE, got.meta().source());

    ConsumerRecord<String, String> raw = kafka.awaitRecord(mark, r -> true, Duration.ofSeconds(30));
    assertEquals(data.key(), raw.key(), "keyed by the contract's rule");
    assertEquals(EventCodec.encode(data), raw.value());
    assertEquals(meta.id(), TestKafka.header(raw, "ce_id"));
    assertEquals("1.0", TestKafka.headers(raw).get("ce_specversion"));
    assertEquals(
        List.of(data.requestId()),
        kafka.records(mark).stream()
            .map(r -> EventCodec.decode(EventTypes.TRAIN_REQUESTED, r.value()).requestId())
            .toList(),
        "after the mark: only what was sent after it");
    assertEquals(
        1, kafka.events(EventTypes.TRAIN_REQUESTED, t -> t.equals(before)).size(), "from start");
  }

  @Test
  void thePublishOfAGivenMetaIsTheSameEventAgain() {
    TrainRequested data = request("again");
    CloudEventMeta meta = kafka.publish(data);
    kafka.publish(data, meta);
    List<String> ids =
        kafka
            .awaitExactly(
                Topics.TRAIN_REQUESTED,
                r -> r.value().contains(data.requestId()),
                2,
                Duration.ofSeconds(30))
            .stream()
            .map(r -> TestKafka.header(r, "ce_id"))
            .toList();
    assertEquals(List.of(meta.id(), meta.id()), ids);
    AssertionError tooMany =
        assertThrows(
            AssertionError.class,
            () ->
                kafka.awaitExactly(
                    Topics.TRAIN_REQUESTED,
                    r -> r.value().contains(data.requestId()),
                    1,
                    Duration.ofSeconds(30)));
    assertTrue(tooMany.getMessage().contains("but found 2"), tooMany.getMessage());
  }

  @Test
  void poisonIsSentAsIsAndDecodingItFails() {
    String topic = Topics.MODEL_EVALUATED;
    String id = "poison-" + UUID.randomUUID();
    kafka.send(topic, "k", Map.of("ce_id", id), "{\"not\": json");
    ConsumerRecord<String, String> raw =
        kafka.awaitRecord(
            topic, r -> id.equals(TestKafka.header(r, "ce_id")), Duration.ofSeconds(30));
    assertEquals("{\"not\": json", raw.value());
    assertNull(TestKafka.header(raw, "ce_type"));
    assertThrows(
        InvalidEventException.class, () -> TestKafka.decode(EventTypes.MODEL_EVALUATED, raw));
    assertThrows(InvalidEventException.class, () -> kafka.events(EventTypes.MODEL_EVALUATED));
  }

  @Test
  void deadLettersCarryTheirReason() {
    String id = "dead-" + UUID.randomUUID();
    kafka.send(
        Topics.dlq(Topics.DATA_ARRIVED),
        "k",
        Map.of("ce_id", id, Topics.DLQ_REASON_HEADER, "data-arrived: no good"),
        "x");
    TestKafka.DeadLetter dead =
        kafka.awaitDeadLetter(
            Topics.DATA_ARRIVED, d -> id.equals(d.header("ce_id")), Duration.ofSeconds(30));
    assertEquals("data-arrived: no good", dead.reason());
    assertEquals("x", dead.record().value());
  }

  @Test
  void awaitReturnsTheFirstValueAndFailsNamingWhatItWaitedFor() {
    AtomicInteger calls = new AtomicInteger();
    assertEquals(
        "third",
        Await.until(
            () -> {
              int n = calls.incrementAndGet();
              if (n == 1) {
                throw new IllegalStateException("not reachable yet");
              }
              return n == 2 ? Boolean.FALSE : n == 3 ? "third" : null;
            },
            Duration.ofSeconds(10),
            "the third call"));
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                Await.until(
                    () -> {
                      throw new IllegalStateException("still down");
                    },
                    Duration.ofMillis(300),
                    "the service"));
    assertTrue(e.getMessage().contains("waiting for the service"), e.getMessage());
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  private static TrainRequested request(String tag) {
    TrainRequested example = EventExamples.trainRequested();
    return new TrainRequested(
        "req-" + tag + "-" + UUID.randomUUID(),
        example.model(),
        example.dataset(),
        example.baseModel(),
        example.config(),
        example.reason(),
        example.requestedBy());
  }
}
