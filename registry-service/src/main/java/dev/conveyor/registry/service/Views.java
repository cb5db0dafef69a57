package dev.conveyor.registry.service;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.registry.repository.AliasMoveEntity;
import dev.conveyor.registry.repository.DatasetColumns;
import dev.conveyor.registry.repository.DatasetVersionEntity;
import dev.conveyor.registry.repository.EvaluationEntity;
import dev.conveyor.registry.repository.ModelVersionEntity;
import dev.conveyor.registry.repository.ProgressPointEntity;
import dev.conveyor.registry.repository.RollbackRequestEntity;
import dev.conveyor.registry.repository.RunEntity;
import dev.conveyor.registry.repository.TrainRequestEntity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** What the REST API and the page show: immutable views of the stored rows. */
public final class Views {
  private Views() {}

  /** One model: its champion (if any) and how many versions it has. */
  public record ModelSummary(
      String name,
      Instant createdAt,
      Long champion,
      Long latestVersion,
      long versions,
      long registered,
      long rejected,
      long archived) {}

  /** One registered (or rejected, archived, pending) version. */
  public record Version(
      String model,
      long version,
      String runId,
      String status,
      String statusReason,
      ArtifactRef artifact,
      String sourceUri,
      DatasetVersionRef dataset,
      Instant createdAt,
      Instant updatedAt,
      boolean champion) {

    public static Version of(ModelVersionEntity v, Long champion) {
      return new Version(
          v.model,
          v.version,
          v.runId,
          v.status,
          v.statusReason,
          v.artifact(),
          v.sourceUri,
          DatasetVersionRef.of(v.dataset),
          v.createdAt,
          v.updatedAt,
          champion != null && champion == v.version);
    }
  }

  /** A dataset version by name, number and manifest digest. */
  public record DatasetVersionRef(String name, long version, String digest) {
    static DatasetVersionRef of(DatasetColumns d) {
      return new DatasetVersionRef(d.name, d.version, d.digest);
    }
  }

  /** One appended move of an alias. */
  public record AliasMove(
      long id,
      String model,
      String alias,
      Long fromVersion,
      long toVersion,
      String reason,
      String actor,
      String evaluationId,
      String rollbackRequest,
      String note,
      Instant movedAt,
      String eventId) {

    public static AliasMove of(AliasMoveEntity m) {
      return new AliasMove(
          m.id,
          m.model,
          m.alias,
          m.fromVersion,
          m.toVersion,
          m.reason,
          m.actor,
          m.evaluationId,
          m.rollbackRequest,
          m.note,
          m.movedAt,
          m.eventId);
    }
  }

  /** The current champion: what serving loads. */
  public record Champion(
      String model,
      long version,
      String runId,
      ArtifactRef artifact,
      String datasetDigest,
      String reason,
      String actor,
      String evaluationId,
      Instant since) {}

  /** A dataset version as data-arrived described it. */
  public record Dataset(
      String name,
      long version,
      String manifestUri,
      String manifestDigest,
      long train,
      long test,
      long quarantined,
      Long parentVersion,
      String source,
      Instant createdAt) {

    public static Dataset of(DatasetVersionEntity d) {
      return new Dataset(
          d.dataset,
          d.version,
          d.manifestUri,
          d.manifestDigest,
          d.trainCount,
          d.testCount,
          d.quarantinedCount,
          d.parentVersion,
          d.source,
          d.createdAt);
    }
  }

  /** A training request. */
  public record TrainRequest(
      String requestId,
      String model,
      DatasetVersionRef dataset,
      String baseModel,
      String config,
      String reason,
      String requestedBy,
      Instant requestedAt) {

    public static TrainRequest of(TrainRequestEntity r) {
      return new TrainRequest(
          r.requestId,
          r.model,
          DatasetVersionRef.of(r.dataset),
          r.base.label(),
          r.configJson,
          r.reason,
          r.requestedBy,
          r.requestedAt);
    }
  }

  /** One (step, loss) point of a run's loss curve. */
  public record LossPoint(long step, double loss) {
    public static LossPoint of(ProgressPointEntity p) {
      return new LossPoint(p.step, p.loss);
    }
  }

  /** A finished training run, with its loss curve. */
  public record Run(
      String runId,
      String requestId,
      String model,
      DatasetVersionRef dataset,
      String baseModel,
      String configHash,
      String status,
      String failureReason,
      ArtifactRef artifact,
      Double finalLoss,
      Long steps,
      Double tokensPerSecond,
      Long durationMillis,
      Instant finishedAt,
      List<LossPoint> lossCurve) {

    public static Run of(RunEntity r, List<LossPoint> curve) {
      return new Run(
          r.runId,
          r.requestId,
          r.model,
          DatasetVersionRef.of(r.dataset),
          r.base.label(),
          r.configHash,
          r.status,
          r.failureReason,
          r.artifactUri == null
              ? null
              : new ArtifactRef(r.artifactUri, r.artifactDigest, r.artifactSize),
          r.finalLoss,
          r.steps,
          r.tokensPerSecond,
          r.durationMillis,
          r.finishedAt,
          curve);
    }
  }

  /** An evaluation and the registry's decision about it. */
  public record Evaluation(
      String evaluationId,
      String model,
      String kind,
      String candidateRunId,
      Long candidateVersion,
      Double candidateBleu,
      String championRunId,
      Long championVersion,
      Double championBleu,
      DatasetVersionRef dataset,
      long testExamples,
      String signature,
      Double delta,
      Double pValue,
      String verdict,
      List<String> reasons,
      String reportUri,
      Instant receivedAt,
      String decision,
      String decisionReason) {

    public static Evaluation of(EvaluationEntity e) {
      return new Evaluation(
          e.evaluationId,
          e.model,
          e.kind,
          e.candidateRunId,
          e.candidateVersion,
          e.candidateBleu,
          e.championRunId,
          e.championVersion,
          e.championBleu,
          DatasetVersionRef.of(e.dataset),
          e.testExamples,
          e.signature,
          e.delta,
          e.pValue,
          e.verdict,
          e.reasons.isEmpty() ? List.of() : Arrays.asList(e.reasons.split("\n")),
          e.reportUri,
          e.receivedAt,
          e.decision,
          e.decisionReason);
    }
  }

  /** A rollback request and what came of it. */
  public record RollbackRequest(
      String requestId,
      String model,
      long fromVersion,
      String reason,
      String evidence,
      String requestedBy,
      Instant receivedAt,
      String outcome,
      String outcomeReason) {

    public static RollbackRequest of(RollbackRequestEntity r) {
      return new RollbackRequest(
          r.requestId,
          r.model,
          r.fromVersion,
          r.reason,
          r.evidenceJson,
          r.requestedBy,
          r.receivedAt,
          r.outcome,
          r.outcomeReason);
    }
  }

  /**
   * Everything behind one version: dataset version -> training request -> run -> version ->
   * evaluations -> alias moves.
   */
  public record Lineage(
      Version version,
      Dataset dataset,
      TrainRequest trainRequest,
      Run run,
      Version baseModel,
      List<Evaluation> evaluations,
      List<AliasMove> aliasMoves) {}
}
