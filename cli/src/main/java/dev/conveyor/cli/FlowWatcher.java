package dev.conveyor.cli;

import dev.conveyor.cli.system.Records;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainingProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Shows the flow live while {@code conveyor up} runs: one line per event, a progress bar with ETA
 * while a model trains (redrawn in place on a terminal, every few seconds otherwise).
 */
final class FlowWatcher implements AutoCloseable {
  private static final long PLAIN_PROGRESS_EVERY_NANOS = 10_000_000_000L;

  private final String bootstrap;
  private final PrintWriter out;
  private final boolean terminal;
  private final Consumer<ModelPromoted> onPromoted;
  private final Thread thread;
  private volatile boolean running = true;
  private boolean barShown;
  private long lastPlainProgress;

  FlowWatcher(
      String bootstrap, PrintWriter out, boolean terminal, Consumer<ModelPromoted> onPromoted) {
    this.bootstrap = bootstrap;
    this.out = out;
    this.terminal = terminal;
    this.onPromoted = onPromoted;
    this.thread = new Thread(this::run, "conveyor-flow");
    this.thread.setDaemon(true);
  }

  /** Starts following every topic and DLQ from their current end. */
  FlowWatcher start() {
    thread.start();
    return this;
  }

  private void run() {
    try (KafkaConsumer<String, byte[]> consumer = Records.consumer(bootstrap, "conveyor-up-flow")) {
      List<TopicPartition> partitions = Records.assignAll(consumer, true);
      partitions.forEach(consumer::position); // fix "now" before the services publish
      List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
      while (running) {
        batch.clear();
        consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
        batch.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        for (ConsumerRecord<String, byte[]> r : batch) {
          show(r);
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        print("flow view stopped: " + e.getMessage());
      }
    }
  }

  private void show(ConsumerRecord<String, byte[]> r) {
    if (Topics.TRAINING_PROGRESS.equals(r.topic())) {
      CloudEvent<?> event = decode(r);
      if (event != null && event.data() instanceof TrainingProgress p) {
        progress(p);
        return;
      }
    }
    print(Timeline.line(r));
    if (Topics.MODEL_PROMOTED.equals(r.topic())) {
      CloudEvent<?> event = decode(r);
      if (event != null && event.data() instanceof ModelPromoted p) {
        onPromoted.accept(p);
      }
    }
  }

  private synchronized void progress(TrainingProgress p) {
    String bar = bar(p);
    if (terminal) {
      out.print("\r" + bar);
      barShown = p.step() < p.totalSteps();
      if (!barShown) {
        out.println();
      }
      out.flush();
      return;
    }
    long now = System.nanoTime();
    if (p.step() >= p.totalSteps() || now - lastPlainProgress > PLAIN_PROGRESS_EVERY_NANOS) {
      lastPlainProgress = now;
      out.println("             " + bar);
      out.flush();
    }
  }

  /** {@code training run-x [#########.........] 45% step 135/300 loss 0.92 1,740 tok/s ETA 63 s} */
  static String bar(TrainingProgress p) {
    int width = 30;
    double done = p.totalSteps() == 0 ? 1 : Math.min(1, (double) p.step() / p.totalSteps());
    int filled = (int) Math.round(done * width);
    return String.format(
        Locale.ROOT,
        "training %s [%s%s] %3d%% step %d/%d loss %.3f %,.0f tok/s ETA %s",
        p.runId(),
        "#".repeat(filled),
        ".".repeat(width - filled),
        Math.round(done * 100),
        p.step(),
        p.totalSteps(),
        p.loss(),
        p.tokensPerSecond(),
        eta(p.etaSeconds()));
  }

  private static String eta(long seconds) {
    return seconds >= 60 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s";
  }

  /** Prints a line, ending an in-place progress bar first. */
  synchronized void print(String line) {
    if (barShown) {
      out.println();
      barShown = false;
    }
    out.println(line);
    out.flush();
  }

  private static CloudEvent<?> decode(ConsumerRecord<String, byte[]> r) {
    try {
      return CloudEventHeaders.read(r.topic(), Records.headers(r), Records.value(r));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
