package dev.conveyor.benchmarks.stack;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    Path jar = root.resolve("cli/target/conveyor.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "build the cli first: ./mvnw -pl cli -am package -DskipTests");
    }
    Path data = Files.createTempDirectory("conveyor-bench-");
    long t0 = System.nanoTime();
    Process up =
        new ProcessBuilder(
                javaBin(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-jar",
                jar.toString(),
                "up",
                "--data-dir",
                data.toString(),
                "--kafka-port",
                "0",
                "--postgres-port",
                "0",
                "--s3-port",
                "0")
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
    String bootstrap = null;
    for (String line; (line = out.readLine()) != null; ) {
      lines.add(line);
      if (line.trim().startsWith("Kafka ")) {
        bootstrap = line.trim().split("\\s+")[1];
      }
      if (line.startsWith("Ready in")) {
        break;
      }
    }
    double readySeconds = (System.nanoTime() - t0) / 1e9;
    if (bootstrap == null) {
      up.destroyForcibly();
      throw new IllegalStateException("conveyor up did not become ready: " + lines);
    }
    Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
    drain.setDaemon(true);
    drain.start();
    try {
      long idleRss = Rss.ofTree(up.pid(), data);
      LatencyProbe.Result raw = LatencyProbe.raw(bootstrap, 10_000, 1_000);
      LatencyProbe.Result ce = LatencyProbe.conveyor(bootstrap, 10_000, 1_000);
      long busyRss = Rss.ofTree(up.pid(), data);
      String table = table(readySeconds, idleRss, busyRss, raw, ce);
      System.out.println(table);
      Path results = root.resolve("benchmarks/results");
      Files.createDirectories(results);
      Files.writeString(results.resolve("local-stack.md"), table);
    } finally {
      up.toHandle().destroy();
      up.waitFor(60, TimeUnit.SECONDS);
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

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
