package dev.conveyor.benchmarks.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.benchmarks.stack.Rss;
import dev.conveyor.cli.system.ConveyorSystem;
import dev.conveyor.cli.system.EventLog;
import dev.conveyor.cli.system.ServiceSpec;
import dev.conveyor.cli.system.SystemClient;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.localstack.StackOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole system as {@code conveyor up} runs it: time from start to the first served answer, the
 * resident memory of everything, and for each following day how long the pipeline itself takes
 * (data-arrived → model-promoted) beside the compute it waits for (training, evaluation).
 *
 * <p>Args: {@code --home DIR --days N --out FILE}.
 */
public final class SystemBenchmark {
  private static final Duration FLOW = Duration.ofMinutes(20);

  /** One day's timings from the events' own timestamps, in milliseconds. */
  record Day(
      long version,
      long total,
      long championCheck,
      long training,
      long trainerRest,
      long evaluation,
      long promotion,
      long swap) {
    long overhead() {
      return total - championCheck - training - evaluation;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = args(args);
    Path home = Path.of(a.getOrDefault("--home", ".")).toAbsolutePath().normalize();
    int days = Integer.parseInt(a.getOrDefault("--days", "3"));
    Path out = Path.of(a.getOrDefault("--out", "benchmarks/results/system.md"));
    Path data = Files.createTempDirectory("conveyor-system-bench");
    double load0 = load();
    long t0 = System.nanoTime();
    ConveyorSystem system =
        ConveyorSystem.create(home, new StackOptions(data, 0, 0, 0, 3), Map.of());
    try (system) {
      system.startStack();
      double stackSeconds = seconds(t0);
      EventLog log = new EventLog(system.stack().kafkaBootstrap());
      system.startServices(Duration.ofMinutes(10), p -> {});
      double servicesSeconds = seconds(t0);
      SystemClient client = SystemClient.of(system);
      client.ingestNow();
      system.service(ServiceSpec.SERVING).awaitReady(FLOW);
      double firstAnswer = seconds(t0);
      JsonNode answer = client.generate("Who keeps the inn?", 16);
      long rssIdle = Rss.ofTree(ProcessHandle.current().pid(), data);
      List<Day> measured = new ArrayList<>();
      long rssPeak = rssIdle;
      for (int d = 2; d <= days + 1; d++) {
        client.nextDay();
        client.ingestNow();
        long version = d;
        DataArrived arrived =
            log.await(DataArrived.class, x -> x.version() == version, FLOW, "v" + version);
        ModelPromoted promoted =
            log.await(
                ModelPromoted.class,
                p -> p.datasetDigest().equals(arrived.manifestDigest()),
                FLOW,
                "the promotion trained on v" + version);
        long swapped = awaitServed(client, promoted.version());
        rssPeak = Math.max(rssPeak, Rss.ofTree(ProcessHandle.current().pid(), data));
        measured.add(day(log, arrived, promoted, swapped));
      }
      log.close();
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(
          out,
          report(
              stackSeconds,
              servicesSeconds,
              firstAnswer,
              answer,
              rssIdle,
              rssPeak,
              measured,
              load0,
              load()));
      System.out.println(Files.readString(out));
    } finally {
      deleteTree(data);
    }
  }

  private static Day day(EventLog log, DataArrived arrived, ModelPromoted promoted, long swapped)
      throws InterruptedException {
    long tArrived = time(log, arrived);
    TrainRequested request =
        log.await(
            TrainRequested.class,
            t -> t.dataset().digest().equals(arrived.manifestDigest()),
            FLOW,
            "request");
    ModelTrained trained =
        log.await(
            ModelTrained.class,
            t -> t.requestId().equals(request.requestId()) && t.succeeded(),
            FLOW,
            "run");
    ModelEvaluated gate =
        log.await(
            ModelEvaluated.class,
            e -> e.candidate() != null && trained.runId().equals(e.candidate().runId()),
            FLOW,
            "gate");
    long tRequested = time(log, request);
    long tTrained = time(log, trained);
    long tEvaluated = time(log, gate);
    long tPromoted = time(log, promoted);
    long training = trained.metrics().durationMillis();
    return new Day(
        promoted.version(),
        tPromoted - tArrived,
        tRequested - tArrived,
        training,
        (tTrained - tRequested) - training,
        tEvaluated - tTrained,
        tPromoted - tEvaluated,
        swapped - tPromoted);
  }

  /** The Kafka timestamp (producer time) of the first record carrying {@code data}. */
  private static long time(EventLog log, Object data) {
    return log.all().stream()
        .filter(e -> data.equals(e.data()))
        .mapToLong(e -> e.record().timestamp())
        .min()
        .orElseThrow();
  }

  private static long awaitServed(SystemClient client, long version) throws Exception {
    long deadline = System.nanoTime() + FLOW.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode a = client.generate("Who keeps the inn?", 1);
      if (a.path("model").path("version").asLong() == version) {
        return Instant.now().toEpochMilli();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("serving never answered with v" + version);
  }

  private static String report(
      double stack,
      double services,
      double firstAnswer,
      JsonNode answer,
      long rssIdle,
      long rssPeak,
      List<Day> days,
      double load0,
      double load1) {
    StringBuilder sb = new StringBuilder("# Whole system (`conveyor up` path)\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Machine: %d cores, load average %.1f at start and %.1f at the end. Produced by"
                + " `benchmarks/system/run.sh` on %s. The services were already built (a warm"
                + " `./conveyor` start skips the build).%n%n",
            Runtime.getRuntime().availableProcessors(),
            load0,
            load1,
            Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC"));
    sb.append("| measure | value |\n|---|---|\n");
    sb.append(row("stack ready (Kafka, PostgreSQL, S3, feed)", "%.1f s", stack));
    sb.append(row("five services up (health checks)", "%.1f s", services));
    sb.append(
        row(
            "**first served answer** (ingest day 1, train from scratch, gate, promote, load)",
            "**%.1f s**",
            firstAnswer));
    sb.append(
        row(
            "RSS of everything (stack JVM, 5 services, PostgreSQL), idle after the first answer",
            "%.0f MB",
            rssIdle / 1e6));
    sb.append(
        row("RSS of everything, highest seen during the next days", "%.0f MB", rssPeak / 1e6));
    sb.append("\nFirst answer: `")
        .append(answer.path("text").asText().strip())
        .append("` from ")
        .append(answer.path("model").path("name").asText())
        .append(" v")
        .append(answer.path("model").path("version").asText())
        .append(".\n\n");
    sb.append(
        "## Each next day: data-arrived → model-promoted (ms, from the events' Kafka timestamps)\n\n");
    sb.append(
        "| version | total | champion check (eval) | training | trainer rest | candidate eval |"
            + " registry hop | swap hop | **pipeline overhead** |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Day d : days) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| v%d | %d | %d | %d | %d | %d | %d | %d | **%d** (%.1f%%) |%n",
              d.version(),
              d.total(),
              d.championCheck(),
              d.training(),
              d.trainerRest(),
              d.evaluation(),
              d.promotion(),
              d.swap(),
              d.overhead(),
              100.0 * d.overhead() / d.total()));
    }
    long worstHop = days.stream().mapToLong(d -> Math.max(d.promotion(), d.swap())).max().orElse(0);
    sb.append(
        String.format(
            Locale.ROOT,
            "%nPipeline overhead = total − champion check − training − candidate evaluation: what"
                + " the pipeline adds around the compute it waits for (trainer set-up and upload,"
                + " event hops, registry transaction, outbox relay). The champion-check and"
                + " candidate-evaluation columns include one event hop each. Hops without compute:"
                + " registry (model-evaluated → model-promoted) and swap (model-promoted → serving"
                + " answers with the new version, incl. download, digest check, load, warm-up and"
                + " smoke test); worst of both over the days: %d ms.%n",
            worstHop));
    return sb.toString();
  }

  private static String row(String what, String format, double value) {
    return "| " + what + " | " + String.format(Locale.ROOT, format, value) + " |\n";
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return -1;
    }
  }

  private static Map<String, String> args(String[] args) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      m.put(args[i], args[i + 1]);
    }
    return m;
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
