package dev.conveyor.trainer;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for tests: events in (binary-mode CloudEvents), every record of a topic out.
 */
final class Bus {
  private final String bootstrap;

  Bus(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** Publishes {@code data} as the CLI would; returns the attributes used. */
  CloudEventMeta publish(EventData data) throws Exception {
    CloudEventMeta meta = CloudEventMeta.create(EventTypes.of(data.getClass()), Sources.CLI);
    send(
        EventTypes.of(data.getClass()).topic(),
        data.key(),
        CloudEventHeaders.encode(meta),
        EventCodec.encode(data));
    return meta;
  }

  void send(String topic, String key, Map<String, String> headers, String value) throws Exception {
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
  List<ConsumerRecord<String, String>> records(String topic) {
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

  /** Every event of {@code topic} that matches. */
  <T extends EventData> List<CloudEvent<T>> events(
      String topic, Class<T> type, Predicate<T> filter) {
    List<CloudEvent<T>> out = new ArrayList<>();
    for (ConsumerRecord<String, String> r : records(topic)) {
      @SuppressWarnings("unchecked")
      CloudEvent<T> e = (CloudEvent<T>) CloudEventHeaders.read(topic, headers(r), r.value());
      if (type.isInstance(e.data()) && filter.test(e.data())) {
        out.add(e);
      }
    }
    return out;
  }

  static Map<String, String> headers(ConsumerRecord<String, String> r) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      m.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return m;
  }
}
