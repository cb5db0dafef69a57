package dev.conveyor.ingest;

import dev.conveyor.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads every data-arrived record with a plain Kafka consumer, as a downstream service would. */
public final class Kafka {
  private Kafka() {}

  public static List<ConsumerRecord<String, String>> dataArrived(String bootstrap, String dataset) {
    try (var c =
        new KafkaConsumer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(Topics.DATA_ARRIVED)
          .forEach(p -> parts.add(new TopicPartition(Topics.DATA_ARRIVED, p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
          if (dataset.equals(r.key())) {
            out.add(r);
          }
        }
      }
      return out;
    }
  }

  /** Waits until {@code n} records exist, then a little longer to catch any extra one. */
  public static List<ConsumerRecord<String, String>> awaitExactly(
      String bootstrap, String dataset, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    List<ConsumerRecord<String, String>> got = dataArrived(bootstrap, dataset);
    while (got.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(200);
      got = dataArrived(bootstrap, dataset);
    }
    Thread.sleep(1500);
    return dataArrived(bootstrap, dataset);
  }

  public static String header(ConsumerRecord<String, ?> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
