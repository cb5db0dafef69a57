package dev.conveyor.evaluator;

import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventType;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: events in as another service would send them, records out. */
final class Kafka {
  private Kafka() {}

  /** Sends {@code data} as a binary-mode CloudEvent with a fresh id; returns the id. */
  static String publish(String bootstrap, EventData data) throws Exception {
    EventType<?> type = EventTypes.of(data.getClass());
    CloudEventMeta meta = CloudEventMeta.create(type, Sources.CLI);
    send(
        bootstrap,
        type.topic(),
        data.key(),
        CloudEventHeaders.encode(meta),
        EventCodec.encode(data));
    return meta.id();
  }

  static void send(
      String bootstrap, String topic, String key, Map<String, String> headers, String value)
      throws Exception {
    try (var p =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      var record = new ProducerRecord<>(topic, key, value);
      headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      p.send(record).get(30, TimeUnit.SECONDS);
    }
  }

  /** Every record of {@code topic} so far. */
  static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
    try (var c =
        new KafkaConsumer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      return out;
    }
  }

  /** Every event of {@code type} published so far. */
  static <T extends EventData> List<T> events(String bootstrap, EventType<T> type) {
    List<T> out = new ArrayList<>();
    for (var r : readAll(bootstrap, type.topic())) {
      out.add(EventCodec.decode(type, r.value()));
    }
    return out;
  }

  static String header(ConsumerRecord<String, String> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Polls {@code probe} until it yields a value (or fails after {@code seconds}). */
  static <T> T await(java.util.function.Supplier<T> probe, int seconds, String what) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
