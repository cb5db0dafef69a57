package dev.conveyor.systemtests;

import dev.conveyor.cli.system.EventLog;
import dev.conveyor.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Records no consumer can accept, one per topic, each with a unique mark to find it again. */
final class Poison {
  private Poison() {}

  /** Publishes a poison record to every topic; returns topic → its mark. */
  static Map<String, String> publishToEveryTopic(String bootstrap) throws Exception {
    Map<String, String> marks = new LinkedHashMap<>();
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      int i = 0;
      for (String topic : Topics.ALL) {
        String mark = "poison-" + UUID.randomUUID();
        marks.put(topic, mark);
        ProducerRecord<String, String> r;
        if (i++ % 2 == 0) {
          // not JSON and no CloudEvents headers at all
          r = new ProducerRecord<>(topic, "qa", "{" + mark);
        } else {
          // a valid envelope with the wrong type and a body that is not this event
          r = new ProducerRecord<>(topic, "qa", "{\"mark\":\"" + mark + "\"}");
          header(r, "ce_specversion", "1.0");
          header(r, "ce_id", mark);
          header(r, "ce_source", "/system-tests/poison");
          header(r, "ce_type", "dev.conveyor.unknown.v1");
          header(r, "content-type", "application/json");
        }
        p.send(r).get();
      }
    }
    return marks;
  }

  private static void header(ProducerRecord<String, String> r, String k, String v) {
    r.headers().add(k, v.getBytes(StandardCharsets.UTF_8));
  }

  /** Waits until {@code dlq} holds the record carrying {@code mark}, with a reason header. */
  static void awaitDeadLetter(EventLog log, String dlq, String mark, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (EventLog.Entry e : log.all()) {
        if (e.topic().equals(dlq)
            && e.record().value() != null
            && new String(e.record().value(), StandardCharsets.UTF_8).contains(mark)) {
          String reason = e.headers().get(Topics.DLQ_REASON_HEADER);
          if (reason == null || reason.isBlank()) {
            throw new AssertionError("dead letter on " + dlq + " has no reason header");
          }
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("poison " + mark + " never reached " + dlq + ":\n" + log.summary());
  }
}
