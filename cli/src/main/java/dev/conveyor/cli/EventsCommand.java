package dev.conveyor.cli;

import dev.conveyor.cli.system.Records;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conveyor events}: tails every topic and DLQ as a readable timeline. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Tail all Conveyor topics and dead-letter topics as a timeline.")
public final class EventsCommand implements Callable<Integer> {

  @Option(
      names = {"-b", "--bootstrap-server"},
      description =
          "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, else the conveyor up"
              + " one, else localhost:9092).")
  String bootstrap;

  @Option(names = "--from-now", description = "Only events published from now on.")
  boolean fromNow;

  @Option(names = "--max-events", description = "Stop after this many events (default: follow).")
  Long maxEvents;

  @Option(
      names = "--idle-timeout",
      description = "Stop after this many seconds without a new event (default: follow).")
  Long idleSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (bootstrap == null) {
      bootstrap = LocalDefaults.get("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    }
    PrintWriter out = spec.commandLine().getOut();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              running.set(false);
              try {
                main.join(5000);
              } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    try (KafkaConsumer<String, byte[]> consumer = Records.consumer(bootstrap, "conveyor-events")) {
      Records.assignAll(consumer, fromNow);
      List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
      long seen = 0;
      long lastEvent = System.nanoTime();
      while (running.get()) {
        batch.clear();
        consumer.poll(Duration.ofMillis(250)).forEach(batch::add);
        batch.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        for (ConsumerRecord<String, byte[]> r : batch) {
          out.println(Timeline.line(r));
          if (maxEvents != null && ++seen >= maxEvents) {
            out.flush();
            return 0;
          }
        }
        out.flush();
        if (!batch.isEmpty()) {
          lastEvent = System.nanoTime();
        } else if (idleSeconds != null
            && System.nanoTime() - lastEvent > idleSeconds * 1_000_000_000L) {
          return 0;
        }
      }
      return 0;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running: nothing to remove
      }
    }
  }
}
