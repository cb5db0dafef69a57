package dev.conveyor.evaluator;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.model.data.Example;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The evaluator over the real local stack (Kafka, S3) with real tiny models. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class EvaluatorServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, DatasetRef> DATASETS = new HashMap<>();

  @Inject ObjectStore store;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void firstModelIsPromotedByTheFirstModelPolicyWithAReportWorstFirst() throws Exception {
    ModelTrained run = trained("first", "run-first-1", TinyModels.strongArchive());
    ModelEvaluated e = gateResult(run);

    assertEquals(ModelEvaluated.Kind.CANDIDATE, e.kind());
    assertEquals(ModelEvaluated.Verdict.PASSED, e.verdict(), e.reasons().toString());
    assertNull(e.champion());
    assertNull(e.deltaInterval(), "no champion: no difference");
    assertTrue(e.candidate().bleu() >= 20.0, "strong model BLEU " + e.candidate().bleu());
    assertNotNull(e.candidate().interval());
    assertTrue(
        e.reasons().stream()
            .anyMatch(r -> r.startsWith("no champion yet: first-model policy promote-if-min-bleu")),
        e.reasons().toString());
    assertEquals(TinyModels.TEST.size(), e.testExamples());
    assertEquals("promote-if-min-bleu", e.thresholds().firstModelPolicy());
    assertTrue(e.signature().startsWith("nrefs:1|bs:1000|seed:12345|"), e.signature());

    JsonNode report = JSON.readTree(store.get(store.keyOf(e.reportUri())));
    JsonNode examples = report.get("examples");
    assertEquals(TinyModels.TEST.size(), examples.size());
    double previous = -1;
    for (JsonNode x : examples) {
      assertTrue(x.get("candidateBleu").asDouble() >= previous, "worst first");
      previous = x.get("candidateBleu").asDouble();
      assertTrue(x.hasNonNull("prompt") && x.hasNonNull("reference") && x.hasNonNull("candidate"));
    }
    String md =
        new String(
            store.get(store.keyOf(e.reportUri()).replace(".json", ".md")), StandardCharsets.UTF_8);
    assertTrue(md.contains("| # | prompt | reference | candidate |"), md);
  }

  @Test
  void firstModelPolicyNeverFailsAndSaysSo() throws Exception {
    ModelEvaluated e =
        gateResult(trained("never-first", "run-never-1", TinyModels.strongArchive()));
    assertEquals(ModelEvaluated.Verdict.FAILED, e.verdict());
    assertEquals("never", e.thresholds().firstModelPolicy());
    assertTrue(
        e.reasons().stream().anyMatch(r -> r.contains("first-model policy never never passes")),
        e.reasons().toString());
  }

  @Test
  void betterCandidatePassesWithASignificantDifference() throws Exception {
    promote("better", 1, artifact("run-better-0", TinyModels.weakArchive()), null);
    ModelEvaluated e = gateResult(trained("better", "run-better-1", TinyModels.strongArchive()));

    assertEquals(ModelEvaluated.Verdict.PASSED, e.verdict(), e.reasons().toString());
    assertEquals(1L, e.champion().version());
    assertTrue(e.delta() > 1.0, "delta " + e.delta());
    assertTrue(e.pValue() < 0.05, "p " + e.pValue());
    assertEquals(e.candidate().bleu() - e.champion().bleu(), e.delta(), 1e-9);
    assertTrue(
        e.reasons().stream().anyMatch(r -> r.contains("beats champion v1")),
        e.reasons().toString());
    // the paired interval of the difference: around the observed delta, above 0 for p < 0.05
    ModelEvaluated.Interval ci = e.deltaInterval();
    assertNotNull(ci, "deltaInterval");
    assertTrue(ci.low() <= e.delta() && e.delta() <= ci.high(), ci + " vs delta " + e.delta());
    assertTrue(ci.low() > 0, "interval " + ci);
    assertTrue(
        e.reasons().stream()
            .anyMatch(r -> r.startsWith("the 95% paired bootstrap interval of the difference is")),
        e.reasons().toString());

    JsonNode report = JSON.readTree(store.get(store.keyOf(e.reportUri())));
    JsonNode first = report.get("examples").get(0);
    assertTrue(first.hasNonNull("champion") && first.hasNonNull("championBleu"), first.toString());
    assertEquals(ci.low(), report.at("/evaluation/deltaInterval/low").asDouble(), 1e-12);
    assertEquals(0.95, report.get("deltaConfidence").asDouble(), 1e-12);
    String md =
        new String(
            store.get(store.keyOf(e.reportUri()).replace(".json", ".md")), StandardCharsets.UTF_8);
    assertTrue(md.contains("95% interval of the delta: ["), md);
  }

  @Test
  void worseOrEqualCandidateFailsWithTheReason() throws Exception {
    ArtifactRef strong = artifact("run-worse-0", TinyModels.strongArchive());
    promote("worse", 3, strong, null);

    ModelEvaluated worse = gateResult(trained("worse", "run-worse-1", TinyModels.weakArchive()));
    assertEquals(ModelEvaluated.Verdict.FAILED, worse.verdict());
    assertTrue(worse.delta() < 0, "delta " + worse.delta());
    assertTrue(worse.deltaInterval().high() < 0, "interval " + worse.deltaInterval());
    assertTrue(
        worse.reasons().stream().anyMatch(r -> r.contains("does not beat champion v3")),
        worse.reasons().toString());

    ModelEvaluated equal = gateResult(trained("worse", "run-worse-2", TinyModels.strongArchive()));
    assertEquals(ModelEvaluated.Verdict.FAILED, equal.verdict());
    assertEquals(0.0, equal.delta(), 1e-9);
    // the same outputs on every resample: the difference is exactly 0 throughout
    assertEquals(new ModelEvaluated.Interval(0.0, 0.0), equal.deltaInterval());
    assertTrue(
        equal.reasons().stream().anyMatch(r -> r.contains("does not beat champion v3")),
        equal.reasons().toString());
  }

  @Test
  void corruptCandidateGivesAFailedVerdictNotACrash() throws Exception {
    byte[] good = Fixtures.read(TinyModels.strongArchive());
    byte[] flipped = good.clone();
    flipped[flipped.length / 2] ^= 0x5a;
    ModelTrained tampered =
        trained(
            "corrupt",
            "run-corrupt-1",
            Fixtures.rawArtifact(store, "run-corrupt-1", flipped, Digests.of(good)));
    ModelEvaluated e = gateResult(tampered);
    assertEquals(ModelEvaluated.Verdict.FAILED, e.verdict());
    assertTrue(e.reasons().get(0).contains("is corrupt: its sha256 is"), e.reasons().toString());

    byte[] garbage = "not a zip at all".getBytes(StandardCharsets.UTF_8);
    ModelTrained broken =
        trained(
            "corrupt",
            "run-corrupt-2",
            Fixtures.rawArtifact(store, "run-corrupt-2", garbage, Digests.of(garbage)));
    ModelEvaluated b = gateResult(broken);
    assertEquals(ModelEvaluated.Verdict.FAILED, b.verdict());
    assertTrue(b.reasons().get(0).contains("fails verification"), b.reasons().toString());
  }

  @Test
  void duplicateModelTrainedPublishesNothingNew() throws Exception {
    ModelTrained run = trained("dup", "run-dup-1", TinyModels.weakArchive());
    kafka().publish(run);
    kafka().publish(run);
    // same model, same partition, one worker: once the sentinel is gated the duplicate was seen
    ModelEvaluated sentinel = gateResult(trained("dup", "run-dup-2", TinyModels.weakArchive()));
    assertNotNull(sentinel);
    long published =
        kafka().events(EventTypes.MODEL_EVALUATED).stream()
            .map(CloudEvent::data)
            .filter(e -> e.candidate() != null && "run-dup-1".equals(e.candidate().runId()))
            .count();
    assertEquals(1, published);
  }

  @Test
  void poisonRecordGoesToTheDlq() throws Exception {
    String id = "poison-" + System.nanoTime();
    kafka()
        .send(
            Topics.MODEL_TRAINED,
            "poison",
            Map.of(
                "ce_specversion", "1.0",
                "ce_id", id,
                "ce_source", "/it",
                "ce_type", EventTypes.MODEL_TRAINED.ceType(),
                "content-type", "application/json"),
            "{\"runId\": oops");
    String reason =
        Await.until(
            () ->
                kafka().deadLetters(Topics.MODEL_TRAINED).stream()
                    .filter(d -> id.equals(d.header("ce_id")))
                    .map(TestKafka.DeadLetter::reason)
                    .findFirst()
                    .orElse(null),
            Duration.ofSeconds(60),
            "the poison record in the DLQ");
    assertTrue(reason.contains("not valid JSON"), reason);
  }

  @Test
  void degradedChampionYieldsExactlyOneTrainRequestAndAFineOneSaysSo() throws Exception {
    String dataset = "arith-daily";
    DatasetRef v1 = dataset(dataset);
    ArtifactRef strong = artifact("run-daily-1", TinyModels.strongArchive());
    ModelTrained run =
        new ModelTrained(
            "run-daily-1",
            "req-daily",
            "daily",
            strong,
            v1,
            BaseModel.scratch(),
            "sha256:cfg",
            null,
            ModelTrained.Outcome.succeeded());
    ModelEvaluated gate = gateResult(run);
    assertEquals(ModelEvaluated.Verdict.PASSED, gate.verdict(), gate.reasons().toString());
    promote("daily", 1, strong, gate.evaluationId(), v1.digest());

    // v2's test split asks for a shifted task the champion never learned: its BLEU drops
    List<Example> shifted = TinyModels.examples(120, 3, -1, TinyModels.prompts(TinyModels.TRAIN));
    DatasetRef v2 =
        Fixtures.dataset(
            store, dataset, 2, v1, TinyModels.examples(50, 4, -1, java.util.Set.of()), shifted);
    DataArrived arrived2 = arrived(v2, v1, 50, 120);
    kafka().publish(arrived2);
    kafka().publish(arrived2);
    // v1 again, after both: the champion is still fine there; once it is published, both v2 were
    // seen
    kafka().publish(arrived(v1, null, TinyModels.TRAIN.size(), TinyModels.TEST.size()));
    ModelEvaluated fine =
        Await.until(
            () -> check("daily", 1),
            Duration.ofSeconds(180),
            "the champion check on " + dataset + " v1");
    assertEquals(ModelEvaluated.Verdict.PASSED, fine.verdict(), fine.reasons().toString());
    assertTrue(
        fine.reasons().contains("the champion is still fine: no training requested"),
        fine.reasons().toString());

    ModelEvaluated degraded = check("daily", 2);
    assertNotNull(degraded, "champion check on v2");
    assertEquals(ModelEvaluated.Verdict.FAILED, degraded.verdict());
    assertTrue(
        degraded.reasons().stream().anyMatch(r -> r.endsWith(": degraded")),
        degraded.reasons().toString());
    assertEquals(
        1,
        kafka().events(EventTypes.MODEL_EVALUATED).stream()
            .map(CloudEvent::data)
            .filter(
                e ->
                    e.kind() == ModelEvaluated.Kind.CHAMPION_CHECK
                        && e.model().equals("daily")
                        && e.dataset().version() == 2)
            .count());
    List<TrainRequested> requests =
        kafka().events(EventTypes.TRAIN_REQUESTED).stream()
            .map(CloudEvent::data)
            .filter(r -> r.model().equals("daily"))
            .toList();
    assertEquals(1, requests.size(), requests.toString());
    TrainRequested r = requests.get(0);
    assertEquals(TrainRequested.Reason.DEGRADED, r.reason());
    assertEquals(v2, r.dataset());
    assertEquals(BaseModel.of(1, strong), r.baseModel());
  }

  @Test
  void dataForAModelWithoutChampionRequestsTrainingFromScratch() throws Exception {
    DatasetRef v1 = dataset("arith-new");
    kafka().publish(arrived(v1, null, TinyModels.TRAIN.size(), TinyModels.TEST.size()));
    TrainRequested r =
        Await.until(
            () ->
                kafka().events(EventTypes.TRAIN_REQUESTED).stream()
                    .map(CloudEvent::data)
                    .filter(t -> t.model().equals("newbie"))
                    .findFirst()
                    .orElse(null),
            Duration.ofSeconds(120),
            "train-requested for newbie");
    assertEquals(TrainRequested.Reason.NO_CHAMPION, r.reason());
    assertEquals(BaseModel.Kind.SCRATCH, r.baseModel().kind());
    assertEquals(v1, r.dataset());
    assertEquals(
        Map.of("steps", 40L),
        r.config().entrySet().stream()
            .filter(x -> x.getKey().equals("steps"))
            .collect(
                java.util.stream.Collectors.toMap(
                    Map.Entry::getKey, x -> ((Number) x.getValue()).longValue())));
  }

  // --- helpers ---

  private TestKafka kafka() {
    return new TestKafka(bootstrap);
  }

  private DatasetRef dataset(String name) throws Exception {
    synchronized (DATASETS) {
      DatasetRef ref = DATASETS.get(name);
      if (ref == null) {
        ref = Fixtures.dataset(store, name, 1, null, TinyModels.TRAIN, TinyModels.TEST);
        DATASETS.put(name, ref);
      }
      return ref;
    }
  }

  private ArtifactRef artifact(String runId, java.nio.file.Path archive) {
    return Fixtures.artifact(store, runId, archive);
  }

  private ModelTrained trained(String model, String runId, java.nio.file.Path archive)
      throws Exception {
    return trained(model, runId, artifact(runId, archive));
  }

  private ModelTrained trained(String model, String runId, ArtifactRef artifact) throws Exception {
    return new ModelTrained(
        runId,
        "req-" + runId,
        model,
        artifact,
        dataset("arith"),
        BaseModel.scratch(),
        "sha256:cfg",
        new ModelTrained.Metrics(0.5, 10, 1000, 1000),
        ModelTrained.Outcome.succeeded());
  }

  /** Publishes the run and waits for its model-evaluated. */
  private ModelEvaluated gateResult(ModelTrained run) throws Exception {
    kafka().publish(run);
    return Await.until(
        () ->
            kafka().events(EventTypes.MODEL_EVALUATED).stream()
                .map(CloudEvent::data)
                .filter(e -> e.candidate() != null && run.runId().equals(e.candidate().runId()))
                .findFirst()
                .orElse(null),
        Duration.ofSeconds(180),
        "model-evaluated of " + run.runId());
  }

  private void promote(String model, long version, ArtifactRef artifact, String evaluationId)
      throws Exception {
    promote(model, version, artifact, evaluationId, dataset("arith").digest());
  }

  private void promote(
      String model, long version, ArtifactRef artifact, String evaluationId, String datasetDigest)
      throws Exception {
    kafka()
        .publish(
            new ModelPromoted(
                model,
                version,
                null,
                ModelPromoted.Reason.GATE,
                "test",
                Instant.now(),
                artifact,
                datasetDigest,
                evaluationId));
    // the evaluator learns champions from model-promoted: wait until it knows this one
    Await.until(
        () -> {
          var r = given().get("/evaluations/{m}/champion", model);
          return r.statusCode() == 200
                  && r.jsonPath().getLong("version") == version
                  && (evaluationId == null || r.jsonPath().get("promotedBleu") != null)
              ? Boolean.TRUE
              : null;
        },
        Duration.ofSeconds(60),
        "champion " + model + " v" + version);
  }

  private DataArrived arrived(DatasetRef ref, DatasetRef parent, long train, long test) {
    return new DataArrived(
        ref.name(),
        ref.version(),
        "s3://conveyor/datasets/" + ref.name() + "/v" + ref.version() + "/manifest.json",
        ref.digest(),
        new DataArrived.Counts(train, test, 0),
        parent == null ? null : parent.version(),
        "test",
        Instant.now());
  }

  private ModelEvaluated check(String model, long datasetVersion) {
    Optional<ModelEvaluated> found =
        kafka().events(EventTypes.MODEL_EVALUATED).stream()
            .map(CloudEvent::data)
            .filter(
                e ->
                    e.kind() == ModelEvaluated.Kind.CHAMPION_CHECK
                        && e.model().equals(model)
                        && e.dataset().version() == datasetVersion)
            .findFirst();
    return found.orElse(null);
  }
}
