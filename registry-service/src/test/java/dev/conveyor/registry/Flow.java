package dev.conveyor.registry;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.EventData;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.RollbackRequested;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.events.TrainingProgress;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StoredObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Publishes the events of one model's life as the other services would, with real artifacts. */
public final class Flow {
  public static final String DIGEST0 =
      "sha256:9f2c4e6a1b3d5f7e9a0c2e4f6a8b0d1e3f5a7c9e1b3d5f7a9c0e2f4a6b8d0e1f";
  private final TestKafka kafka;
  private final ObjectStore store;
  public final String model;
  public final String dataset;

  public Flow(String bootstrap, ObjectStore store, String model) {
    this.kafka = new TestKafka(bootstrap);
    this.store = store;
    this.model = model;
    this.dataset = model + "-data";
  }

  /** Publishes {@code data} with a fresh event id. */
  public CloudEventMeta publish(EventData data) {
    return kafka.publish(data);
  }

  /** Publishes {@code data} with {@code meta}: the same event again when {@code meta} was used. */
  public CloudEventMeta publish(EventData data, CloudEventMeta meta) {
    return kafka.publish(data, meta);
  }

  public DatasetRef datasetRef(long version) {
    return new DatasetRef(dataset, version, "sha256:" + "d".repeat(63) + version);
  }

  public DataArrived dataArrived(long version) {
    DatasetRef ref = datasetRef(version);
    return new DataArrived(
        dataset,
        version,
        store.uri("datasets/" + dataset + "/v" + version + "/manifest.json"),
        ref.digest(),
        new DataArrived.Counts(1840, 212, 7),
        version > 1 ? version - 1 : null,
        "demo-feed",
        Instant.parse("2026-11-25T02:00:04Z").plusSeconds(version));
  }

  public TrainRequested trainRequested(String requestId, long datasetVersion) {
    return new TrainRequested(
        requestId,
        model,
        datasetRef(datasetVersion),
        BaseModel.scratch(),
        Map.of("steps", 600, "learningRate", 0.001),
        TrainRequested.Reason.NEW_DATA,
        "evaluator-service");
  }

  public List<TrainingProgress> progress(String runId, int points) {
    return java.util.stream.IntStream.rangeClosed(1, points)
        .mapToObj(
            i ->
                new TrainingProgress(
                    runId,
                    model,
                    i * 100L,
                    points * 100L,
                    3.0 / (1 + i * 0.7),
                    30000.0,
                    points - i))
        .toList();
  }

  /** Uploads a real model archive (and a sidecar file) under {@code runs/<runId>/}. */
  public ArtifactRef upload(String runId) {
    byte[] archive = Archives.model(model + "/" + runId);
    StoredObject o = store.put("runs/" + runId + "/model.tar.gz", archive, "application/gzip");
    store.put(
        "runs/" + runId + "/card.json",
        ("{\"run\":\"" + runId + "\"}").getBytes(StandardCharsets.UTF_8),
        "application/json");
    return new ArtifactRef(store.uri(o.key()), o.digest(), o.size());
  }

  public ModelTrained trained(String runId, String requestId, long datasetVersion, ArtifactRef a) {
    return new ModelTrained(
        runId,
        requestId,
        model,
        a,
        datasetRef(datasetVersion),
        BaseModel.scratch(),
        "sha256:7a1e",
        new ModelTrained.Metrics(0.412, 600, 31250.5, 142000),
        ModelTrained.Outcome.succeeded());
  }

  public ModelTrained failed(String runId, String requestId, long datasetVersion) {
    return new ModelTrained(
        runId,
        requestId,
        model,
        null,
        datasetRef(datasetVersion),
        BaseModel.scratch(),
        "sha256:7a1e",
        null,
        ModelTrained.Outcome.failed("loss diverged at step 120"));
  }

  public ModelEvaluated evaluated(
      String evaluationId, String runId, ModelEvaluated.Verdict verdict, long datasetVersion) {
    return new ModelEvaluated(
        evaluationId,
        model,
        ModelEvaluated.Kind.CANDIDATE,
        new ModelEvaluated.Scored(
            runId, null, DIGEST0, 61.3, new ModelEvaluated.Interval(58.9, 63.6)),
        null,
        datasetRef(datasetVersion),
        212,
        "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
        12.6,
        0.001,
        new ModelEvaluated.Interval(9.8, 15.1),
        verdict,
        List.of(
            verdict == ModelEvaluated.Verdict.PASSED
                ? "candidate beats champion by 12.6 BLEU >= 1.0 with p=0.001 < 0.05"
                : "candidate does not beat the champion"),
        new ModelEvaluated.Thresholds(20.0, 1.0, 0.05, "promote-if-min-bleu"),
        store.uri("reports/" + model + "/" + evaluationId + ".json"));
  }

  public ModelEvaluated championCheck(
      String evaluationId, long championVersion, long datasetVersion) {
    return new ModelEvaluated(
        evaluationId,
        model,
        ModelEvaluated.Kind.CHAMPION_CHECK,
        null,
        new ModelEvaluated.Scored(null, championVersion, DIGEST0, 55.0, null),
        datasetRef(datasetVersion),
        212,
        "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
        null,
        null,
        null,
        ModelEvaluated.Verdict.PASSED,
        List.of("champion still proficient: 55.0 >= 20.0"),
        new ModelEvaluated.Thresholds(20.0, 1.0, 0.05, "promote-if-min-bleu"),
        null);
  }

  public RollbackRequested rollbackRequested(String requestId, long fromVersion) {
    return new RollbackRequested(
        requestId,
        model,
        fromVersion,
        "error rate 0.12 > 0.05 in the 60 s after the swap",
        Map.of("errorRate", 0.12, "p99Millis", 850.0),
        "serving-service");
  }

  /** Uploads an artifact for a run and publishes its succeeded model-trained. */
  public ArtifactRef train(String runId, String requestId, long datasetVersion) {
    ArtifactRef a = upload(runId);
    publish(trained(runId, requestId, datasetVersion, a));
    return a;
  }
}
