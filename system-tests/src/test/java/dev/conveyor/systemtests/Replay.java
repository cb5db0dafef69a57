package dev.conveyor.systemtests;

import dev.conveyor.cli.system.EventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A replay of history: every event published again, byte for byte, headers included. */
final class Replay {
  private Replay() {}

  /** Publishes a copy of every well-formed event seen so far; returns how many. */
  static int republishAll(EventLog log, String bootstrap) throws Exception {
    int n = 0;
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (EventLog.Entry e : log.all()) {
        if (e.event() == null) {
          continue;
        }
        ProducerRecord<String, byte[]> copy =
            new ProducerRecord<>(e.topic(), e.record().key(), e.record().value());
        e.record().headers().forEach(h -> copy.headers().add(h.key(), h.value()));
        p.send(copy);
        n++;
      }
      p.flush();
    }
    return n;
  }

  /** Waits until every consumer group has committed up to the end of every partition it reads. */
  static void awaitConsumersCaughtUp(String bootstrap, Duration timeout) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<String> behind = List.of();
      while (System.nanoTime() < deadline) {
        behind = lagging(admin);
        if (behind.isEmpty()) {
          return;
        }
        Thread.sleep(1000);
      }
      throw new AssertionError(
          "consumers still behind after " + timeout.toSeconds() + " s: " + behind);
    }
  }

  private static List<String> lagging(Admin admin) throws Exception {
    List<String> behind = new ArrayList<>();
    for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      for (var e : committed.entrySet()) {
        if (e.getValue() == null) {
          continue;
        }
        long end = ends.get(e.getKey()).offset();
        if (e.getValue().offset() < end) {
          behind.add(g.groupId() + " " + e.getKey() + " at " + e.getValue().offset() + "/" + end);
        }
      }
    }
    return behind;
  }
}
