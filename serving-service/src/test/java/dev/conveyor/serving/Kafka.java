package dev.conveyor.serving;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the tests: publish promotions the way the registry does, read topics. */
final class Kafka {
  private Kafka() {}

  /** Publishes {@code model-promoted} for {@code version} (binary-mode CloudEvent). */
  static void promote(String bootstrap, long version, ArtifactRef artifact) throws Exception {
    ModelPromoted data =
        new ModelPromoted(
            "qa",
            version,
            version > 1 ? version - 1 : null,
            ModelPromoted.Reason.GATE,
            "test",
            Instant.now(),
            artifact,
            TestModels.DATASET,
            null);
    CloudEventMeta meta = CloudEventMeta.create(EventTypes.MODEL_PROMOTED, Sources.REGISTRY);
    try (var p =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      var record = new ProducerRecord<>(Topics.MODEL_PROMOTED, data.key(), EventCodec.encode(data));
      CloudEventHeaders.encode(meta)
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      p.send(record).get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Waits until a stable consumer group whose id starts with {@code prefix} owns every partition of
   * {@code topic} (the service reads from the latest offset, so events sent earlier are not seen).
   */
  static void awaitAssigned(String bootstrap, String prefix, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline) {
        Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get();
        List<String> ids =
            groups.stream()
                .map(ConsumerGroupListing::groupId)
                .filter(g -> g.startsWith(prefix))
                .toList();
        if (!ids.isEmpty()) {
          for (ConsumerGroupDescription d :
              admin.describeConsumerGroups(ids).all().get().values()) {
            long owned =
                d.members().stream()
                    .flatMap(m -> m.assignment().topicPartitions().stream())
                    .filter(tp -> tp.topic().equals(topic))
                    .count();
            if (owned == 3) {
              return;
            }
          }
        }
        Thread.sleep(100);
      }
      throw new AssertionError("no consumer group " + prefix + "* got the partitions of " + topic);
    }
  }

  /** Every record of {@code topic}. */
  static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    try (var c =
        new KafkaConsumer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      return out;
    }
  }

  static String header(ConsumerRecord<String, byte[]> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
