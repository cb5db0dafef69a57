package dev.conveyor.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.cli.system.ConveyorSystem;
import dev.conveyor.cli.system.EventLog;
import dev.conveyor.cli.system.Http;
import dev.conveyor.cli.system.ServiceSpec;
import dev.conveyor.cli.system.SystemClient;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.events.TrainingProgress;
import dev.conveyor.localstack.StackOptions;
import dev.conveyor.localstack.feed.DemoWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole system as a user runs it: the local stack and the five services as real processes (the
 * same launcher as {@code conveyor up}), driven day by day through the demo feed. The tests run in
 * order and build on each other, as the days of a real deployment do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {
  static final String MODEL = "qa";
  static final Duration FLOW = Duration.ofMinutes(8);
  static final Duration START = Duration.ofMinutes(4);

  ConveyorSystem system;
  EventLog log;
  SystemClient client;
  String question;

  @BeforeAll
  void start() throws Exception {
    Path data = Path.of("target/system-it").toAbsolutePath();
    deleteTree(data);
    Path home = Path.of(System.getProperty("conveyor.home", "..")).toAbsolutePath().normalize();
    system =
        ConveyorSystem.create(home, new StackOptions(data, 0, 0, 0, 3), Map.of())
            // a killed trainer's run is taken over by its restarted self within seconds
            .withProperties(
                ServiceSpec.TRAINER,
                Map.of(
                    "conveyor.trainer.lease-timeout", "8s",
                    "conveyor.trainer.heartbeat-interval", "2s"))
            // every day's new data is enough to retrain, so each day exercises the whole flow
            .withProperties(
                ServiceSpec.EVALUATOR, Map.of("conveyor.evaluator.new-data-threshold", "100"));
    system.startStack();
    log = new EventLog(system.stack().kafkaBootstrap());
    system.startServices(START, p -> {});
    client = SystemClient.of(system);
    question = new DemoWorld(DemoWorld.DEFAULT_SEED).day(1).get(0).question();
  }

  @AfterAll
  void stop() throws Exception {
    if (log != null) {
      log.close();
    }
    if (system != null) {
      system.close();
    }
  }

  @Test
  @Order(1)
  void day1EndsWithAChampionServingWithItsLineage() throws Exception {
    client.ingestNow(); // the start-up catch-up may have pulled day 1 already: then a no-op
    DataArrived v1 =
        log.await(DataArrived.class, d -> d.version() == 1, FLOW, "data-arrived qa v1");
    TrainRequested request =
        log.await(TrainRequested.class, t -> t.dataset().version() == 1, FLOW, "train v1");
    assertEquals(TrainRequested.Reason.NO_CHAMPION, request.reason());
    ModelEvaluated verdict =
        log.await(
            ModelEvaluated.class,
            e -> e.kind() == ModelEvaluated.Kind.CANDIDATE,
            FLOW,
            "the first candidate's verdict");
    assertEquals(ModelEvaluated.Verdict.PASSED, verdict.verdict(), verdict.reasons().toString());
    ModelPromoted promoted =
        log.await(ModelPromoted.class, p -> p.version() == 1, FLOW, "qa v1 promoted");
    assertEquals(v1.manifestDigest(), promoted.datasetDigest());

    system.service(ServiceSpec.SERVING).awaitReady(FLOW);
    JsonNode answer = client.generate(question, 32);
    assertEquals(1, answer.path("model").path("version").asLong(), answer.toString());
    assertEquals(v1.manifestDigest(), answer.path("model").path("dataset_digest").asText());
    assertTrue(answer.path("text").asText().contains("The "), answer.toString());
  }

  @Test
  @Order(2)
  void poisonOnEveryTopicEndsInItsDeadLetterTopicAndTheFlowGoesOn() throws Exception {
    Map<String, String> marks = Poison.publishToEveryTopic(system.stack().kafkaBootstrap());
    for (Map.Entry<String, String> m : marks.entrySet()) {
      String dlq = Topics.dlq(m.getKey());
      Poison.awaitDeadLetter(log, dlq, m.getValue(), FLOW);
    }
    // the flow goes on: day 2 below runs over the same consumers
  }

  @Test
  @Order(3)
  void day2RetrainsPassesTheGateAndServingHotSwapsWithNoFailedRequest() throws Exception {
    try (Load load = Load.start(client, question, 4)) {
      load.awaitAnswers(20, FLOW);
      assertEquals(2, client.nextDay());
      client.ingestNow();
      log.await(DataArrived.class, d -> d.version() == 2, FLOW, "data-arrived qa v2");
      ModelEvaluated gate =
          log.await(
              ModelEvaluated.class,
              e -> e.kind() == ModelEvaluated.Kind.CANDIDATE && e.dataset().version() == 2,
              FLOW,
              "the day-2 candidate's verdict");
      assertEquals(ModelEvaluated.Verdict.PASSED, gate.verdict(), gate.reasons().toString());
      assertTrue(gate.pValue() != null && gate.pValue() < 0.05, "p = " + gate.pValue());
      log.await(ModelPromoted.class, p -> p.version() == 2, FLOW, "qa v2 promoted");
      load.awaitVersion(2, FLOW);
      load.awaitAnswers(load.answered() + 20, FLOW);
      load.stop();
      assertEquals(List.of(), load.failures(), "failed requests during the hot swap");
      assertTrue(load.answeredBy(1) > 0 && load.answeredBy(2) > 0, load.toString());
    }
  }

  @Test
  @Order(4)
  void replayingEveryTopicFromTheBeginningCreatesNothingNew() throws Exception {
    Snapshot before = Snapshot.take(log, client, system);
    int copies = Replay.republishAll(log, system.stack().kafkaBootstrap());
    assertTrue(copies > 10, "replayed " + copies);
    Replay.awaitConsumersCaughtUp(system.stack().kafkaBootstrap(), FLOW);
    Thread.sleep(5000); // anything a replay wrongly triggered would be on its way by now
    Snapshot after = Snapshot.take(log, client, system);
    assertEquals(before, after);
  }

  @Test
  @Order(5)
  void killNineOfEachServiceMidFlowLosesAndDuplicatesNothing() throws Exception {
    Set<String> runsBefore =
        log.data(ModelTrained.class).stream().map(ModelTrained::runId).collect(Collectors.toSet());
    assertEquals(3, client.nextDay());

    // Each service is killed at its moment in the day-3 flow and restarted in the background,
    // so the flow goes on around the restart as it would in a cluster.
    List<CompletableFuture<Void>> restarts = new java.util.ArrayList<>();

    // ingest: killed while its pull runs; after the restart it is asked again (a no-op if the
    // killed pull had already written and published the version)
    CompletableFuture<JsonNode> pull = CompletableFuture.supplyAsync(this::ingestQuietly);
    Thread.sleep(150);
    restarts.add(restartAfterKill(ServiceSpec.INGEST, () -> client.ingestNow()));
    DataArrived v3 =
        log.await(DataArrived.class, d -> d.version() == 3, FLOW, "data-arrived qa v3");

    // trainer: killed at its first progress event of the day-3 run
    TrainingProgress progress =
        log.await(
            TrainingProgress.class,
            p -> !runsBefore.contains(p.runId()),
            FLOW,
            "progress of the day-3 run");
    restarts.add(restartAfterKill(ServiceSpec.TRAINER, () -> {}));
    ModelTrained trained =
        log.await(
            ModelTrained.class, t -> t.runId().equals(progress.runId()), FLOW, "day-3 run done");
    assertTrue(trained.succeeded(), trained.outcome().toString());
    assertEquals(v3.manifestDigest(), trained.dataset().digest());

    // evaluator: killed as soon as the candidate arrives
    restarts.add(restartAfterKill(ServiceSpec.EVALUATOR, () -> {}));
    ModelEvaluated gate =
        log.await(
            ModelEvaluated.class,
            e -> e.candidate() != null && trained.runId().equals(e.candidate().runId()),
            FLOW,
            "the day-3 verdict");
    assertEquals(ModelEvaluated.Verdict.PASSED, gate.verdict(), gate.reasons().toString());

    // registry: killed as soon as the verdict is out
    restarts.add(restartAfterKill(ServiceSpec.REGISTRY, () -> {}));
    log.await(ModelPromoted.class, p -> p.version() == 3, FLOW, "qa v3 promoted");

    // serving: killed right after the promotion; the restarted one loads the champion
    restarts.add(restartAfterKill(ServiceSpec.SERVING, () -> {}));
    CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).join();
    pull.exceptionally(e -> null).join();
    system.service(ServiceSpec.SERVING).awaitReady(FLOW);
    assertEquals(3, client.generate(question, 16).path("model").path("version").asLong());

    Thread.sleep(5000);
    Snapshot after = Snapshot.take(log, client, system);
    assertEquals(3, after.datasetVersions(), after.toString());
    assertEquals(3, after.registryVersions(), after.toString());
    assertEquals(
        1,
        log.data(ModelTrained.class).stream()
            .filter(t -> !runsBefore.contains(t.runId()))
            .map(ModelTrained::runId)
            .distinct()
            .count(),
        "day 3 trained exactly one run");
    assertEquals(
        1,
        log.all().stream()
            .filter(e -> e.data() instanceof ModelPromoted p && p.version() == 3)
            .map(e -> e.event().meta().id())
            .distinct()
            .count(),
        "v3 promoted exactly once");
  }

  @Test
  @Order(6)
  void aCandidateTrainedOnCorruptedDataIsRejectedAndTheChampionStays() throws Exception {
    int promotionsBefore = log.data(ModelPromoted.class).size();
    Corruption.dropIntoInbox(system.stack(), 1500);
    JsonNode run = client.ingestNow();
    assertTrue(run.toString().contains("\"created\""), run.toString());
    DataArrived bad = log.await(DataArrived.class, d -> d.version() == 4, FLOW, "qa v4");
    ModelEvaluated gate =
        log.await(
            ModelEvaluated.class,
            e -> e.kind() == ModelEvaluated.Kind.CANDIDATE && e.dataset().version() == 4,
            FLOW,
            "the verdict on the candidate trained on corrupted data");
    assertEquals(ModelEvaluated.Verdict.FAILED, gate.verdict(), gate.reasons().toString());
    assertEquals(bad.manifestDigest(), gate.dataset().digest());
    Thread.sleep(5000);
    assertEquals(promotionsBefore, log.data(ModelPromoted.class).size(), "no promotion");
    JsonNode champion =
        Http.get(system.url(ServiceSpec.REGISTRY) + "/models/" + MODEL + "/aliases/champion", null)
            .json();
    assertEquals(3, champion.path("version").asLong(), champion.toString());
    assertEquals(3, client.generate(question, 16).path("model").path("version").asLong());
  }

  private JsonNode ingestQuietly() {
    try {
      return client.ingestNow();
    } catch (Exception killedMidRequest) {
      return null;
    }
  }

  /** {@code kill -9} now; the restart, its wait for health and {@code then} in the background. */
  private CompletableFuture<Void> restartAfterKill(ServiceSpec spec, Step then) throws Exception {
    system.kill(spec);
    var restarted = system.start(spec);
    return CompletableFuture.runAsync(
        () -> {
          try {
            ConveyorSystem.awaitUp(restarted, START);
            then.run();
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(spec.name() + " restart", e);
          }
        });
  }

  /** A step that may throw. */
  interface Step {
    void run() throws Exception;
  }

  static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
