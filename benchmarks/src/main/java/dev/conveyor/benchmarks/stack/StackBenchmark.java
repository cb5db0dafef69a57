package dev.conveyor.benchmarks.stack;

import dev.conveyor.cli.ConveyorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures the local stack as a user meets it: {@code conveyor up} (a real child process) to ready,
 * the RSS of everything it runs, and publish→consume latency of 10k events, Conveyor's CloudEvents
 * path against raw kafka-clients in the same run. Writes benchmarks/results/local-stack.md.
 */
public final class StackBenchmark {
  private StackBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Path data = Files.createTempDirectory("conveyor-bench-");
    long t0 = System.nanoTime();
    // the stack alone, as `conveyor up --stack-only` starts it (plain `up` adds the five services)
    ConveyorProcess up =
        ConveyorProcess.up(
            Map.of("org.slf4j.simpleLogger.defaultLogLevel", "warn"), data, "--stack-only");
    try {
      up.await(l -> l.startsWith("Ready in"), Duration.ofMinutes(3));
      double readySeconds = (System.nanoTime() - t0) / 1e9;
      String bootstrap =
          up.lines().stream()
              .map(String::trim)
              .filter(l -> l.startsWith("Kafka "))
              .map(l -> l.split("\\s+")[1])
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no Kafka line in:\n" + up));
      long pid = up.process().pid();
      long idleRss = Rss.ofTree(pid, data);
      LatencyProbe.Result raw = LatencyProbe.raw(bootstrap, 10_000, 1_000);
      LatencyProbe.Result ce = LatencyProbe.conveyor(bootstrap, 10_000, 1_000);
      long busyRss = Rss.ofTree(pid, data);
      String table = table(readySeconds, idleRss, busyRss, raw, ce);
      System.out.println(table);
      Path results = root.resolve("benchmarks/results");
      Files.createDirectories(results);
      Files.writeString(results.resolve("local-stack.md"), table);
    } finally {
      up.process().toHandle().destroy();
      up.process().waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static String table(
      double ready, long idleRss, long busyRss, LatencyProbe.Result raw, LatencyProbe.Result ce) {
    String cpu =
        System.getProperty("os.arch")
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores";
    return String.format(
        Locale.ROOT,
        "Local stack (%s, Java %s, %s)%n%n"
            + "| measure | Conveyor | peer | ratio |%n|---|---|---|---|%n"
            + "| `conveyor up` to ready (JVM start + Kafka + PostgreSQL + S3) | %.1f s | – | – |%n"
            + "| RSS of the whole stack, idle / after 20k events | %d MB / %d MB | – | – |%n"
            + "| publish→consume p50, 10k events at 1k/s (CloudEvents binary + strict decode vs raw kafka-clients) | %.2f ms | %.2f ms | %.2f× |%n"
            + "| publish→consume p99 | %.2f ms | %.2f ms | %.2f× |%n"
            + "| publish→consume max | %.2f ms | %.2f ms | – |%n",
        cpu,
        System.getProperty("java.version"),
        LocalDate.now(),
        ready,
        idleRss / (1024 * 1024),
        busyRss / (1024 * 1024),
        ce.p50(),
        raw.p50(),
        ce.p50() / raw.p50(),
        ce.p99(),
        raw.p99(),
        ce.p99() / raw.p99(),
        ce.max(),
        raw.max());
  }
}
