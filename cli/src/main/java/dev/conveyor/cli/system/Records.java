package dev.conveyor.cli.system;

import dev.conveyor.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reading every topic and DLQ with a plain consumer: the events tail, the flow view, the log. */
public final class Records {
  private Records() {}

  /** A consumer of raw records that commits nothing: it assigns partitions itself, no group. */
  public static KafkaConsumer<String, byte[]> consumer(String bootstrap, String clientId) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.CLIENT_ID_CONFIG, clientId),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  /**
   * Assigns every partition of every topic and DLQ to {@code consumer} and seeks to their start, or
   * to their end when {@code fromEnd}; returns the partitions.
   */
  public static List<TopicPartition> assignAll(Consumer<?, ?> consumer, boolean fromEnd) {
    List<TopicPartition> all = new ArrayList<>();
    for (String topic : Topics.allWithDlqs()) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      for (PartitionInfo p : infos == null ? List.<PartitionInfo>of() : infos) {
        all.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(all);
    if (fromEnd) {
      consumer.seekToEnd(all);
    } else {
      consumer.seekToBeginning(all);
    }
    return all;
  }

  /** A record's headers as strings (Kafka stores them as UTF-8 bytes); a null value is "". */
  public static Map<String, String> headers(ConsumerRecord<?, ?> r) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      m.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return m;
  }

  /** A record's value as UTF-8 text, null for a tombstone. */
  public static String value(ConsumerRecord<?, byte[]> r) {
    return r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
  }
}
