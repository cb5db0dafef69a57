package dev.conveyor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.cli.system.ConveyorSystem;
import dev.conveyor.cli.system.ServiceSpec;
import dev.conveyor.cli.system.SystemClient;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.localstack.ServiceProcess;
import dev.conveyor.localstack.feed.DemoWorld;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The steps {@code conveyor up} takes after the stack is up, each reported as it happens. */
final class FirstRun {
  static final String DEMO_DATASET = "qa";
  static final String DEMO_MODEL = "qa";

  private final ConveyorSystem system;
  private final PrintWriter out;
  private final long t0;
  private SystemClient client;
  private double firstAnswerSeconds;

  FirstRun(ConveyorSystem system, PrintWriter out, long t0) {
    this.system = system;
    this.out = out;
    this.t0 = t0;
  }

  void startServices(FlowWatcher flow) throws Exception {
    flow.print("Starting the services (logs in " + system.dataDir().resolve("logs") + ") ...");
    system.startServices(
        Duration.ofMinutes(5),
        p ->
            flow.print(
                String.format(
                    Locale.ROOT,
                    "  %-18s up on %s in %.1f s",
                    p.name(),
                    p.url(),
                    p.uptimeSeconds())));
    client = SystemClient.of(system);
  }

  /** Asks ingest to pull now (its start-up catch-up may have pulled day 1 already). */
  void ingest(FlowWatcher flow) throws IOException {
    SystemClient.describeIngest(client.ingestNow()).forEach(flow::print);
  }

  /** Waits until serving answers with a champion; fails fast if a service dies. */
  void awaitChampion(FlowWatcher flow, Duration timeout) throws Exception {
    flow.print("Waiting for the first champion: ingest -> train -> evaluate -> promote -> serve");
    long deadline = System.nanoTime() + timeout.toNanos();
    ServiceProcess serving = system.service(ServiceSpec.SERVING);
    while (!serving.ready()) {
      for (ServiceSpec s : ServiceSpec.all()) {
        ServiceProcess p = system.service(s);
        if (!p.alive()) {
          throw new IOException(
              s.name() + " exited; last lines of " + p.log() + ":\n" + p.tail(20));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "no champion serves after "
                + timeout.toMinutes()
                + " min; see the logs in "
                + system.dataDir().resolve("logs"));
      }
      Thread.sleep(500);
    }
    firstAnswerSeconds = (System.nanoTime() - t0) / 1e9;
  }

  /** One greedy answer to a day-1 question, with the reference answer beside it. */
  void sample(FlowWatcher flow) throws IOException {
    DemoWorld.Pair pair = new DemoWorld(DemoWorld.DEFAULT_SEED).day(1).get(0);
    JsonNode answer = client.generate(pair.question(), 48);
    JsonNode model = answer.path("model");
    flow.print("");
    flow.print(
        String.format(
            Locale.ROOT,
            "The champion serves (%.0f s after up). Sample, greedy:",
            firstAnswerSeconds));
    flow.print("  Q: " + pair.question());
    flow.print(
        String.format(
            Locale.ROOT,
            "  A: %s   [%s v%d, %d ms]",
            answer.path("text").asText().strip(),
            model.path("name").asText(),
            model.path("version").asLong(),
            answer.path("latency_ms").asLong()));
    flow.print("  reference: " + pair.answer());
  }

  /** Where everything is and what to try next. */
  List<String> tour(Path envFile) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("Conveyor is up:");
    lines.add("  Serving    " + system.url(ServiceSpec.SERVING) + "/v1/generate");
    lines.add(
        "  Registry   " + system.url(ServiceSpec.REGISTRY) + "/  (models, lineage, champion)");
    for (ServiceSpec s : ServiceSpec.all()) {
      lines.add(String.format(Locale.ROOT, "  %-18s %s/q/swagger-ui", s.name(), system.url(s)));
    }
    lines.add("  Endpoints  " + envFile + "; secrets in " + envFile.resolveSibling("stack.env"));
    lines.add("");
    lines.add("Try:");
    lines.add("  ./conveyor prompt                  # ask the champion, streamed token by token");
    lines.add("  ./conveyor feed next-day           # day 2 arrives: retrain, gate, hot swap");
    lines.add("  ./conveyor train --model qa --set steps=400   # retrain by hand");
    lines.add("  ./conveyor events                  # every event and dead letter so far");
    DatasetRef latest = client.dataset(DEMO_DATASET, null);
    lines.add("  retrain with kcat (source " + envFile + " first):");
    RetrainHint.kcat(DEMO_MODEL, latest).lines().forEach(l -> lines.add("    " + l));
    return lines;
  }
}
