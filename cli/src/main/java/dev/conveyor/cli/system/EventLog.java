package dev.conveyor.cli.system;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.EventData;
import dev.conveyor.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Every record of every topic and DLQ since the start, read by a plain consumer (tests,
 * benchmarks).
 */
public final class EventLog implements AutoCloseable {
  /** One record as the test sees it; {@code event} is null for dead letters and poison. */
  public record Entry(
      ConsumerRecord<String, byte[]> record, Map<String, String> headers, CloudEvent<?> event) {
    public String topic() {
      return record.topic();
    }

    public EventData data() {
      return event == null ? null : event.data();
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public EventLog(String bootstrap) {
    thread = new Thread(() -> run(bootstrap), "event-log");
    thread.setDaemon(true);
    thread.start();
  }

  private void run(String bootstrap) {
    try (KafkaConsumer<String, byte[]> c = Records.consumer(bootstrap, "system-tests-log")) {
      Records.assignAll(c, false);
      while (running) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          add(r);
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      // closing
    }
  }

  private void add(ConsumerRecord<String, byte[]> r) {
    Map<String, String> headers = Records.headers(r);
    CloudEvent<?> event = null;
    if (!r.topic().endsWith(Topics.DLQ_SUFFIX)) {
      try {
        event = CloudEventHeaders.read(r.topic(), headers, Records.value(r));
      } catch (IllegalArgumentException poison) {
        event = null;
      }
    }
    synchronized (this) {
      entries.add(new Entry(r, headers, event));
      notifyAll();
    }
  }

  public synchronized List<Entry> all() {
    return List.copyOf(entries);
  }

  /** The data of every well-formed event of {@code type}, in arrival order. */
  public synchronized <T extends EventData> List<T> data(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Entry e : entries) {
      if (type.isInstance(e.data())) {
        out.add(type.cast(e.data()));
      }
    }
    return out;
  }

  /** Distinct CloudEvents ids seen on {@code topic}. */
  public synchronized long distinctIds(String topic) {
    return entries.stream()
        .filter(e -> e.topic().equals(topic) && e.event() != null)
        .map(e -> e.event().meta().id())
        .distinct()
        .count();
  }

  /**
   * Waits for the first event of {@code type} matching {@code test}; fails after {@code timeout}.
   */
  public <T extends EventData> T await(
      Class<T> type, Predicate<T> test, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        for (Entry e : entries) {
          if (type.isInstance(e.data()) && test.test(type.cast(e.data()))) {
            return type.cast(e.data());
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "timed out after "
                  + timeout.toSeconds()
                  + " s waiting for "
                  + what
                  + "; saw:\n"
                  + summary());
        }
        wait(Math.max(1, Math.min(1000, left / 1_000_000)));
      }
    }
  }

  /** Waits until {@code topic} holds at least {@code n} records. */
  public void awaitCount(String topic, int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (entries.stream().filter(e -> e.topic().equals(topic)).count() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("fewer than " + n + " records on " + topic + ":\n" + summary());
        }
        wait(Math.max(1, Math.min(1000, left / 1_000_000)));
      }
    }
  }

  public synchronized String summary() {
    StringBuilder sb = new StringBuilder();
    for (Entry e : entries) {
      if (Topics.TRAINING_PROGRESS.equals(e.topic())) {
        continue;
      }
      sb.append("  ")
          .append(e.topic())
          .append(' ')
          .append(e.data() == null ? e.headers().get(Topics.DLQ_REASON_HEADER) : e.data())
          .append('\n');
    }
    return sb.toString();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5000);
  }
}
