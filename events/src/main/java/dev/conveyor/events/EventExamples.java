package dev.conveyor.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic example of each event, as shown in events/README.md and used by tests. */
public final class EventExamples {
  private static final String DIGEST =
      "sha256:9f2c4e6a1b3d5f7e9a0c2e4f6a8b0d1e3f5a7c9e1b3d5f7a9c0e2f4a6b8d0e1f";
  private static final String ARTIFACT_DIGEST =
      "sha256:1c3e5a7b9d0f2e4c6a8b0d2f4e6a8c0b2d4f6e8a0c2e4b6d8f0a2c4e6b8d0f1a";
  private static final DatasetRef DATASET = new DatasetRef("qa-world", 3, DIGEST);
  private static final ArtifactRef ARTIFACT =
      new ArtifactRef("s3://conveyor/models/qa/4/model.zip", ARTIFACT_DIGEST, 4_718_592);

  private EventExamples() {}

  public static DataArrived dataArrived() {
    return new DataArrived(
        "qa-world",
        3,
        "s3://conveyor/datasets/qa-world/v3/manifest.json",
        DIGEST,
        new DataArrived.Counts(1840, 212, 7),
        2L,
        "demo-feed",
        Instant.parse("2026-11-25T02:00:04Z"));
  }

  public static TrainRequested trainRequested() {
    return new TrainRequested(
        "req-7f3a",
        "qa",
        DATASET,
        BaseModel.of(3, new ArtifactRef("s3://conveyor/models/qa/3/model.zip", DIGEST, 4_718_592)),
        Map.of("steps", 600, "learningRate", 0.001),
        TrainRequested.Reason.NEW_DATA,
        "evaluator-service");
  }

  public static ModelTrained modelTrained() {
    return new ModelTrained(
        "run-5d1c9e",
        "req-7f3a",
        "qa",
        new ArtifactRef("s3://conveyor/runs/run-5d1c9e/model.zip", ARTIFACT_DIGEST, 4_718_592),
        DATASET,
        BaseModel.scratch(),
        "sha256:7a1e",
        new ModelTrained.Metrics(0.412, 600, 31_250.5, 142_000),
        ModelTrained.Outcome.succeeded());
  }

  public static ModelEvaluated modelEvaluated() {
    return new ModelEvaluated(
        "eval-2b8f",
        "qa",
        ModelEvaluated.Kind.CANDIDATE,
        new ModelEvaluated.Scored(
            "run-5d1c9e", null, ARTIFACT_DIGEST, 61.3, new ModelEvaluated.Interval(58.9, 63.6)),
        new ModelEvaluated.Scored(
            "run-1a2b3c", 3L, DIGEST, 48.7, new ModelEvaluated.Interval(46.0, 51.2)),
        DATASET,
        212,
        "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
        12.6,
        0.001,
        new ModelEvaluated.Interval(9.8, 15.1),
        ModelEvaluated.Verdict.PASSED,
        List.of("candidate beats champion by 12.6 BLEU >= 1.0 with p=0.001 < 0.05"),
        new ModelEvaluated.Thresholds(20.0, 1.0, 0.05, "promote-if-min-bleu"),
        "s3://conveyor/reports/qa/eval-2b8f.json");
  }

  public static ModelPromoted modelPromoted() {
    return new ModelPromoted(
        "qa",
        4,
        3L,
        ModelPromoted.Reason.GATE,
        "registry-service",
        Instant.parse("2026-11-25T02:09:41Z"),
        ARTIFACT,
        DIGEST,
        "eval-2b8f");
  }

  public static RollbackRequested rollbackRequested() {
    return new RollbackRequested(
        "rb-19e0",
        "qa",
        4,
        "error rate 0.12 > 0.05 in the 60 s after the swap",
        Map.of("errorRate", 0.12, "p99Millis", 850.0),
        "serving-service");
  }

  public static TrainingProgress trainingProgress() {
    return new TrainingProgress("run-5d1c9e", "qa", 300, 600, 0.93, 30_512.0, 71);
  }

  /** Every example, in flow order. */
  public static List<EventData> all() {
    return List.of(
        dataArrived(),
        trainRequested(),
        modelTrained(),
        modelEvaluated(),
        modelPromoted(),
        rollbackRequested(),
        trainingProgress());
  }
}
