package dev.conveyor.benchmarks.stack;

import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventExamples;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Paced publish→consume latency over a real broker; the send time travels in a header. */
final class LatencyProbe {
  record Result(double p50, double p99, double max) {}

  private LatencyProbe() {}

  /** Raw kafka-clients: opaque bytes, no headers but the timestamp. */
  static Result raw(String bootstrap, int count, int perSecond) throws Exception {
    byte[] payload = EventCodec.encodeBytes(EventExamples.trainingProgress());
    return run(
        bootstrap,
        Topics.dlq(Topics.TRAINING_PROGRESS),
        count,
        perSecond,
        i -> new ProducerRecord<>(Topics.dlq(Topics.TRAINING_PROGRESS), "qa".getBytes(), payload),
        r -> {});
  }

  /**
   * Conveyor: encode the record, write ce_* headers, then strict header + data decode on receipt.
   */
  static Result conveyor(String bootstrap, int count, int perSecond) throws Exception {
    return run(
        bootstrap,
        Topics.TRAINING_PROGRESS,
        count,
        perSecond,
        i -> {
          var data = EventExamples.trainingProgress();
          var rec =
              new ProducerRecord<>(
                  Topics.TRAINING_PROGRESS, data.key().getBytes(), EventCodec.encodeBytes(data));
          CloudEventHeaders.encode(CloudEventMeta.create(EventTypes.TRAINING_PROGRESS, Sources.CLI))
              .forEach((k, v) -> rec.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
          return rec;
        },
        r -> {
          Map<String, String> h = new HashMap<>();
          for (Header header : r.headers()) {
            h.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
          }
          CloudEventHeaders.read(r.topic(), h, new String(r.value(), StandardCharsets.UTF_8));
        });
  }

  interface Maker {
    ProducerRecord<byte[], byte[]> make(int i);
  }

  interface Checker {
    void check(ConsumerRecord<byte[], byte[]> r);
  }

  private static Result run(
      String bootstrap, String topic, int count, int perSecond, Maker maker, Checker checker)
      throws Exception {
    double[] latencies = new double[count];
    AtomicInteger received = new AtomicInteger();
    try (var consumer =
            new KafkaConsumer<>(
                Map.<String, Object>of("bootstrap.servers", bootstrap, "fetch.max.wait.ms", "5"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        var producer =
            new KafkaProducer<>(
                Map.<String, Object>of(
                    "bootstrap.servers", bootstrap, "linger.ms", "0", "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
      Thread reader =
          new Thread(
              () -> {
                while (received.get() < count) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    Header sent = r.headers().lastHeader("bench-sent-nanos");
                    if (sent == null) {
                      continue;
                    }
                    checker.check(r);
                    int i = received.getAndIncrement();
                    if (i < count) {
                      latencies[i] = (now - ByteBuffer.wrap(sent.value()).getLong()) / 1e6;
                    }
                  }
                }
              });
      reader.start();
      long interval = 1_000_000_000L / perSecond;
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait); // no spinning: 2 cores are shared
        }
        var rec = maker.make(i);
        rec.headers()
            .add("bench-sent-nanos", ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
        producer.send(rec);
        next += interval;
      }
      producer.flush();
      reader.join(60_000);
    }
    Arrays.sort(latencies);
    return new Result(latencies[count / 2], latencies[(int) (count * 0.99)], latencies[count - 1]);
  }
}
