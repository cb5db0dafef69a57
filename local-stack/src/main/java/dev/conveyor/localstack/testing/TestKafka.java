package dev.conveyor.localstack.testing;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventType;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.localstack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for tests: events in as another service would send them (binary-mode
 * CloudEvents) or raw records (poison), records and decoded events out, dead letters with their
 * reason.
 */
public final class TestKafka {
  /** The {@code ce_source} of events a test publishes unless it passes its own attributes. */
  public static final String SOURCE = Sources.CLI;

  private static final Duration READ_LIMIT = Duration.ofSeconds(30);

  private final String bootstrap;

  public TestKafka(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** Clients of {@code stack}'s broker. */
  public static TestKafka of(LocalStack stack) {
    return new TestKafka(stack.kafkaBootstrap());
  }

  public String bootstrap() {
    return bootstrap;
  }

  // ---- in

  /** Fresh attributes for {@code data} from {@code source}. */
  public static CloudEventMeta meta(EventData data, String source) {
    return CloudEventMeta.create(EventTypes.of(data.getClass()), source);
  }

  /** Publishes {@code data} from {@link #SOURCE} with a fresh id; returns its attributes. */
  public CloudEventMeta publish(EventData data) {
    return publish(data, meta(data, SOURCE));
  }

  /**
   * Publishes {@code data} with {@code meta} (pass the same twice for a redelivery) on its type's
   * topic, keyed by the contract's rule, and waits for the broker's ack.
   */
  public CloudEventMeta publish(EventData data, CloudEventMeta meta) {
    send(
        EventTypes.of(data.getClass()).topic(),
        data.key(),
        CloudEventHeaders.encode(meta),
        EventCodec.encode(data));
    return meta;
  }

  /** One raw record (any headers, any value: poison included); waits for the broker's ack. */
  public void send(String topic, String key, Map<String, String> headers, String value) {
    send(topic, key, headers, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** One raw record with a byte value (e.g. not UTF-8 at all). */
  public void send(String topic, String key, Map<String, String> headers, byte[] value) {
    try (var p =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      var record = new ProducerRecord<>(topic, key, value);
      headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      p.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending to " + topic, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot send to " + topic + ": " + e.getMessage(), e);
    }
  }

  // ---- out: records

  /** The end of {@code topic} now: read from a mark to see only what comes after it. */
  public record Mark(String topic, Map<Integer, Long> offsets) {
    public Mark {
      offsets = Map.copyOf(offsets);
    }
  }

  /** Marks the current end of {@code topic}. */
  public Mark mark(String topic) {
    try (var c = consumer()) {
      Map<Integer, Long> offsets = new LinkedHashMap<>();
      c.endOffsets(partitions(c, topic)).forEach((tp, o) -> offsets.put(tp.partition(), o));
      return new Mark(topic, offsets);
    }
  }

  /** Every record of {@code topic}, from the beginning to its current end. */
  public List<ConsumerRecord<String, String>> records(String topic) {
    return read(topic, Map.of());
  }

  /** The records of {@code topic} that match, from the beginning to its current end. */
  public List<ConsumerRecord<String, String>> records(
      String topic, Predicate<ConsumerRecord<String, String>> match) {
    return records(topic).stream().filter(match).toList();
  }

  /** Every record written after {@code from}, to the topic's current end. */
  public List<ConsumerRecord<String, String>> records(Mark from) {
    return read(from.topic(), from.offsets());
  }

  /** Waits for the first record of {@code topic} (from the beginning) that matches. */
  public ConsumerRecord<String, String> awaitRecord(
      String topic, Predicate<ConsumerRecord<String, String>> match, Duration timeout) {
    return Await.until(
        () -> records(topic).stream().filter(match).findFirst().orElse(null),
        timeout,
        "a matching record on " + topic);
  }

  /** Waits for the first record after {@code from} that matches. */
  public ConsumerRecord<String, String> awaitRecord(
      Mark from, Predicate<ConsumerRecord<String, String>> match, Duration timeout) {
    return Await.until(
        () -> records(from).stream().filter(match).findFirst().orElse(null),
        timeout,
        "a matching record on " + from.topic() + " after " + from.offsets());
  }

  /**
   * Waits until {@code n} records of {@code topic} match, then a while longer to catch any extra
   * one (at-least-once delivery duplicates late); fails unless exactly {@code n} match.
   */
  public List<ConsumerRecord<String, String>> awaitExactly(
      String topic, Predicate<ConsumerRecord<String, String>> match, int n, Duration timeout) {
    Await.until(() -> records(topic, match).size() >= n, timeout, n + " records on " + topic);
    try {
      Thread.sleep(1500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for extra records on " + topic, e);
    }
    List<ConsumerRecord<String, String>> got = records(topic, match);
    if (got.size() != n) {
      throw new AssertionError(
          "expected exactly " + n + " records on " + topic + " but found " + got.size());
    }
    return got;
  }

  // ---- out: events

  /** Every event of {@code type} on its topic, decoded strictly (headers and data). */
  public <T extends EventData> List<CloudEvent<T>> events(EventType<T> type) {
    return events(type, d -> true);
  }

  /** The events of {@code type} whose data matches. */
  public <T extends EventData> List<CloudEvent<T>> events(
      EventType<T> type, Predicate<? super T> match) {
    List<CloudEvent<T>> out = new ArrayList<>();
    for (ConsumerRecord<String, String> r : records(type.topic())) {
      CloudEvent<T> e = decode(type, r);
      if (match.test(e.data())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Waits for the first event of {@code type} whose data matches. */
  public <T extends EventData> CloudEvent<T> awaitEvent(
      EventType<T> type, Predicate<? super T> match, Duration timeout) {
    return Await.until(
        () -> events(type, match).stream().findFirst().orElse(null),
        timeout,
        "a matching " + type.topic() + " event");
  }

  /** {@code r} as a CloudEvent of {@code type}; fails if it is not a valid one. */
  public static <T extends EventData> CloudEvent<T> decode(
      EventType<T> type, ConsumerRecord<String, String> r) {
    CloudEvent<?> e = CloudEventHeaders.read(r.topic(), headers(r), r.value());
    if (!type.dataClass().isInstance(e.data())) {
      throw new IllegalArgumentException(
          "record at " + r.topic() + "/" + r.partition() + "@" + r.offset() + " is no " + type);
    }
    return new CloudEvent<>(e.meta(), type.dataClass().cast(e.data()));
  }

  // ---- out: dead letters

  /** A record of {@code <topic>.dlq}, with SmallRye's {@code dead-letter-reason}. */
  public record DeadLetter(ConsumerRecord<String, String> record, String reason) {
    /** A header of the dead record, e.g. its {@code ce_id}. */
    public String header(String key) {
      return TestKafka.header(record, key);
    }
  }

  /** Every dead letter of {@code topic} (read from {@code Topics.dlq(topic)}). */
  public List<DeadLetter> deadLetters(String topic) {
    return records(Topics.dlq(topic)).stream()
        .map(r -> new DeadLetter(r, header(r, Topics.DLQ_REASON_HEADER)))
        .toList();
  }

  /** Waits for the first dead letter of {@code topic} that matches. */
  public DeadLetter awaitDeadLetter(String topic, Predicate<DeadLetter> match, Duration timeout) {
    return Await.until(
        () -> deadLetters(topic).stream().filter(match).findFirst().orElse(null),
        timeout,
        "a matching dead letter of " + topic);
  }

  // ---- consumer groups

  /**
   * Waits until one consumer group whose id starts with {@code groupPrefix} owns every partition of
   * {@code topic}: a consumer that starts at the latest offset sees only what is sent after that.
   */
  public void awaitAssigned(String groupPrefix, String topic, Duration timeout) {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Await.until(
          () -> {
            try {
              List<String> ids =
                  admin.listConsumerGroups().all().get().stream()
                      .map(ConsumerGroupListing::groupId)
                      .filter(g -> g.startsWith(groupPrefix))
                      .toList();
              if (ids.isEmpty()) {
                return false;
              }
              for (ConsumerGroupDescription d :
                  admin.describeConsumerGroups(ids).all().get().values()) {
                long owned =
                    d.members().stream()
                        .flatMap(m -> m.assignment().topicPartitions().stream())
                        .filter(tp -> tp.topic().equals(topic))
                        .count();
                if (owned == partitions) {
                  return true;
                }
              }
              return false;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          timeout,
          "a consumer group "
              + groupPrefix
              + "* owning all "
              + partitions
              + " partitions of "
              + topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot describe " + topic, e);
    }
  }

  // ---- headers

  /** The value of header {@code key} (the last one, as Kafka clients read it), or null. */
  public static String header(ConsumerRecord<?, ?> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Every header of {@code r} as strings (a header without value maps to ""). */
  public static Map<String, String> headers(ConsumerRecord<?, ?> r) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      m.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return m;
  }

  // ---- reading

  private KafkaConsumer<String, String> consumer() {
    return new KafkaConsumer<>(
        Map.<String, Object>of("bootstrap.servers", bootstrap),
        new StringDeserializer(),
        new StringDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
    List<TopicPartition> parts = new ArrayList<>();
    c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
    return parts;
  }

  /** Records from {@code from} (partition to offset; the beginning where absent) to the end. */
  private List<ConsumerRecord<String, String>> read(String topic, Map<Integer, Long> from) {
    try (var c = consumer()) {
      List<TopicPartition> parts = partitions(c, topic);
      c.assign(parts);
      for (TopicPartition tp : parts) {
        Long offset = from.get(tp.partition());
        if (offset == null) {
          c.seekToBeginning(List.of(tp));
        } else {
          c.seek(tp, offset);
        }
      }
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.nanoTime() + READ_LIMIT.toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + topic + " to its end in " + READ_LIMIT.toSeconds() + " s");
        }
        c.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      return out;
    }
  }
}
