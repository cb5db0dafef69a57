package dev.conveyor.registry;

import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventTypes;
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

/** Plain Kafka clients for tests: events in as other services write them, records out raw. */
public final class TestKafka {
  private TestKafka() {}

  /** Fresh CloudEvents attributes for {@code data}, as a producer other than the registry. */
  public static CloudEventMeta meta(EventData data) {
    return CloudEventMeta.create(EventTypes.of(data.getClass()), "/conveyor/registry-tests");
  }

  /** Publishes one event (binary mode) and waits for the broker's ack; returns its attributes. */
  public static CloudEventMeta publish(String bootstrap, EventData data) {
    return publish(bootstrap, data, meta(data));
  }

  public static CloudEventMeta publish(String bootstrap, EventData data, CloudEventMeta meta) {
    try (var p =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
            new StringSerializer(),
            new StringSerializer())) {
      var record =
          new ProducerRecord<>(
              EventTypes.of(data.getClass()).topic(), data.key(), EventCodec.encode(data));
      CloudEventHeaders.encode(meta)
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      p.send(record).get(30, TimeUnit.SECONDS);
      return meta;
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish " + data, e);
    }
  }

  /** Every record of a topic, from the beginning to the current end. */
  public static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
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

  public static String header(ConsumerRecord<String, String> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
