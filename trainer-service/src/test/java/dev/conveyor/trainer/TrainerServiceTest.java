package dev.conveyor.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.events.TrainingProgress;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.model.artifact.Archives;
import dev.conveyor.model.artifact.Manifest;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.trainer.service.TrainerMetrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trainer over the real local stack: Kafka in and out, datasets and artifacts in S3. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class TrainerServiceTest {
  static final Duration WAIT = Duration.ofSeconds(120);
  static DatasetRef data;

  @Inject ObjectStore store;
  @Inject TrainerMetrics metrics;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  TestKafka kafka;

  @BeforeEach
  void setUp() throws Exception {
    kafka = new TestKafka(bootstrap);
    if (data == null) {
      Datasets.addOne(store, "add-one", 1, 150, 1);
      data = Datasets.addOne(store, "add-one", 2, 150, 2); // v2 -> v1: the reader joins the chain
    }
  }

  static TrainRequested request(Map<String, Object> config) {
    return request(config, BaseModel.scratch(), data);
  }

  static TrainRequested request(Map<String, Object> config, BaseModel base, DatasetRef dataset) {
    return new TrainRequested(
        "req-" + UUID.randomUUID(),
        "smoke",
        dataset,
        base,
        config,
        TrainRequested.Reason.MANUAL,
        "trainer-test");
  }

  List<CloudEvent<ModelTrained>> trainedFor(String requestId) {
    return kafka.events(EventTypes.MODEL_TRAINED, t -> t.requestId().equals(requestId));
  }

  ModelTrained awaitTrained(TrainRequested req) {
    return Await.until(
            () -> trainedFor(req.requestId()).stream().findFirst().orElse(null),
            WAIT,
            "model-trained of " + req.requestId())
        .data();
  }

  @Test
  void trainRequestedYieldsOneModelTrainedWithAValidArtifact() throws Exception {
    TrainRequested req = request(Map.of("seed", 1));
    kafka.publish(req);
    ModelTrained t = awaitTrained(req);

    assertTrue(t.succeeded(), () -> "failed: " + t.outcome().reason());
    assertTrue(t.runId().matches("run-[0-9a-f]{12}"), t.runId());
    assertEquals(40, t.metrics().steps());
    assertTrue(t.metrics().tokensPerSecond() > 0);
    assertTrue(Double.isFinite(t.metrics().finalLoss()));
    assertTrue(t.configHash().startsWith("sha256:"));
    String key = "runs/" + t.runId() + "/model.zip";
    assertEquals(store.uri(key), t.artifact().uri());
    byte[] archive = store.getVerified(key, t.artifact().digest());
    assertEquals(archive.length, t.artifact().sizeBytes());

    Path dir = Files.createTempDirectory("artifact");
    Files.write(dir.resolve("model.zip"), archive);
    Manifest m = Archives.unpack(dir.resolve("model.zip"), dir.resolve("unpacked")); // verifies
    assertEquals(data.digest(), m.training().datasetDigest());
    assertEquals(data.name(), m.training().datasetName());
    assertEquals(data.version(), m.training().datasetVersion());
    assertEquals(t.configHash(), m.training().configHash());
    assertEquals(40, m.training().steps());
    assertNull(m.training().baseModel());
    assertEquals(1, m.modelConfig().layers());
    assertEquals(32, m.modelConfig().width());

    List<CloudEvent<ModelTrained>> all = trainedFor(req.requestId());
    assertEquals(1, all.size());
    assertEquals(t.runId(), all.get(0).meta().extensions().get(CloudEventAttributes.RUN_ID));

    List<CloudEvent<TrainingProgress>> progress =
        kafka.events(EventTypes.TRAINING_PROGRESS, p -> p.runId().equals(t.runId()));
    assertFalse(progress.isEmpty());
    assertEquals(40, progress.get(progress.size() - 1).data().step());

    given()
        .get("/runs/{id}", t.runId())
        .then()
        .statusCode(200)
        .body("status", equalTo("succeeded"))
        .body("step", equalTo(40))
        .body("losses.size()", equalTo(40))
        .body("artifact.digest", equalTo(t.artifact().digest()));
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("conveyor_trainer_step"))
        .body(containsString("conveyor_trainer_loss"))
        .body(containsString("conveyor_trainer_tokens_per_second"));
  }

  @Test
  void theSameRequestTwiceTrainsOnce() throws Exception {
    double before = metrics.startedCount();
    TrainRequested req = request(Map.of("seed", 2));
    kafka.publish(req);
    kafka.publish(req); // a duplicate delivery
    TrainRequested replay = request(Map.of("seed", 2)); // another request for the same run
    kafka.publish(replay);

    ModelTrained first = awaitTrained(req);
    List<CloudEvent<ModelTrained>> events =
        Await.until(
            () -> {
              var e = kafka.events(EventTypes.MODEL_TRAINED, t -> t.runId().equals(first.runId()));
              return e.size() >= 3 ? e : null;
            },
            WAIT,
            "three model-trained of " + first.runId());
    assertEquals(3, events.size());
    for (CloudEvent<ModelTrained> e : events) {
      assertTrue(e.data().succeeded());
      assertEquals(first.artifact(), e.data().artifact());
      assertEquals(
          events.get(0).meta().id(), e.meta().id(), "a replay re-publishes the same event");
    }
    assertEquals(1.0, metrics.startedCount() - before, "trained once");
    given().get("/runs/{id}", first.runId()).then().statusCode(200).body("attempts", equalTo(1));
  }

  @Test
  void aBadConfigGivesAFailedModelTrainedWithTheReason() throws Exception {
    TrainRequested unknownKey = request(Map.of("learningRat", 0.5));
    TrainRequested badValue = request(Map.of("heads", 3));
    TrainRequested badType = request(Map.of("steps", "many"));
    kafka.publish(unknownKey);
    kafka.publish(badValue);
    kafka.publish(badType);

    ModelTrained a = awaitTrained(unknownKey);
    assertFalse(a.succeeded());
    assertNull(a.artifact());
    assertTrue(
        a.outcome().reason().contains("unknown config key 'learningRat'"), a.outcome().reason());
    ModelTrained b = awaitTrained(badValue);
    assertFalse(b.succeeded());
    assertTrue(b.outcome().reason().contains("heads 3"), b.outcome().reason());
    ModelTrained c = awaitTrained(badType);
    assertFalse(c.succeeded());
    assertTrue(c.outcome().reason().contains("'steps'"), c.outcome().reason());
    given().get("/runs/{id}", a.runId()).then().statusCode(200).body("status", equalTo("failed"));
  }

  @Test
  void badDataGivesAFailedModelTrained() throws Exception {
    DatasetRef wrongDigest =
        new DatasetRef(data.name(), data.version(), "sha256:" + "0".repeat(64));
    TrainRequested req = request(Map.of("seed", 3), BaseModel.scratch(), wrongDigest);
    kafka.publish(req);
    ModelTrained t = awaitTrained(req);
    assertFalse(t.succeeded());
    assertTrue(t.outcome().reason().startsWith("bad data:"), t.outcome().reason());
  }

  @Test
  void aPoisonRecordGoesToTheDlqAndTheNextRequestIsServed() throws Exception {
    String poison = "poison-" + UUID.randomUUID();
    kafka.send(Topics.TRAIN_REQUESTED, "smoke", Map.of(), poison);
    TrainRequested next = request(Map.of("seed", 4));
    kafka.publish(next);

    ConsumerRecord<String, String> dead =
        Await.until(
            () ->
                kafka.records(Topics.dlq(Topics.TRAIN_REQUESTED)).stream()
                    .filter(r -> poison.equals(r.value()))
                    .findFirst()
                    .orElse(null),
            WAIT,
            "the poison record in the DLQ");
    assertNotNull(TestKafka.headers(dead).get(Topics.DLQ_REASON_HEADER));
    assertTrue(awaitTrained(next).succeeded());
  }

  @Test
  void fineTunesARegisteredArtifactAndRefusesACorruptOne() throws Exception {
    TrainRequested scratch = request(Map.of("seed", 5));
    kafka.publish(scratch);
    ModelTrained base = awaitTrained(scratch);
    assertTrue(base.succeeded());
    // the registry copies runs/<id>/* to models/<model>/<version>/
    store.copy(store.keyOf(base.artifact().uri()), "models/smoke/1/model.zip");
    ArtifactRef registered =
        new ArtifactRef(
            store.uri("models/smoke/1/model.zip"),
            base.artifact().digest(),
            base.artifact().sizeBytes());

    TrainRequested tune =
        request(Map.of("steps", 20, "learningRate", 0.001), BaseModel.of(1, registered), data);
    TrainRequested corrupt =
        request(
            Map.of("steps", 20),
            BaseModel.of(
                1,
                new ArtifactRef(
                    registered.uri(), "sha256:" + "1".repeat(64), registered.sizeBytes())),
            data);
    kafka.publish(tune);
    kafka.publish(corrupt);

    ModelTrained tuned = awaitTrained(tune);
    assertTrue(tuned.succeeded(), () -> tuned.outcome().reason());
    assertEquals(20, tuned.metrics().steps());
    Path dir = Files.createTempDirectory("tuned");
    Files.write(dir.resolve("a.zip"), store.get(store.keyOf(tuned.artifact().uri())));
    Manifest m = Archives.unpack(dir.resolve("a.zip"), dir.resolve("x"));
    assertTrue(
        m.training().baseModel().contains(base.artifact().digest()), m.training().baseModel());

    ModelTrained refused = awaitTrained(corrupt);
    assertFalse(refused.succeeded());
    assertTrue(
        refused.outcome().reason().startsWith("bad base model:"), refused.outcome().reason());
  }

  @Test
  void anUnknownRunIsAProblem404() {
    given()
        .get("/runs/{id}", "run-000000000000")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404))
        .body("title", equalTo("Not Found"));
  }
}
