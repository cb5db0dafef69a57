package dev.conveyor.registry.repository;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.ModelEvaluated;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One model-evaluated event and what the registry decided about it. */
@Entity
@Table(name = "evaluation")
public class EvaluationEntity {
  /** A passed candidate whose run is not registered yet. */
  public static final String PENDING = "pending";

  public static final String PROMOTED = "promoted";
  public static final String NOT_PROMOTED = "not-promoted";

  /** Failed gates and champion checks: kept for lineage only. */
  public static final String RECORDED = "recorded";

  @Id
  @Column(name = "evaluation_id")
  public String evaluationId;

  @Column(nullable = false)
  public String model;

  @Column(nullable = false, length = 32)
  public String kind;

  @Column(name = "candidate_run_id")
  public String candidateRunId;

  @Column(name = "candidate_version")
  public Long candidateVersion;

  @Column(name = "candidate_digest")
  public String candidateDigest;

  @Column(name = "candidate_bleu")
  public Double candidateBleu;

  @Column(name = "candidate_low")
  public Double candidateLow;

  @Column(name = "candidate_high")
  public Double candidateHigh;

  @Column(name = "champion_run_id")
  public String championRunId;

  @Column(name = "champion_version")
  public Long championVersion;

  @Column(name = "champion_bleu")
  public Double championBleu;

  @Embedded public DatasetColumns dataset;

  @Column(name = "test_examples", nullable = false)
  public long testExamples;

  @Column(nullable = false, length = 1024)
  public String signature;

  public Double delta;

  @Column(name = "p_value")
  public Double pValue;

  @Column(name = "delta_low")
  public Double deltaLow;

  @Column(name = "delta_high")
  public Double deltaHigh;

  @Column(nullable = false, length = 32)
  public String verdict;

  /** The gate's reasons, one per line. */
  @Column(nullable = false, length = 8192)
  public String reasons;

  @Column(name = "report_uri", length = 1024)
  public String reportUri;

  @Column(name = "received_at", nullable = false)
  public Instant receivedAt;

  @Column(nullable = false, length = 32)
  public String decision;

  @Column(name = "decision_reason", length = 4096)
  public String decisionReason;

  @Column(name = "event_id", nullable = false)
  public String eventId;

  /** The row for a model-evaluated event, decision {@code recorded} until the gate decides. */
  public static EvaluationEntity of(CloudEvent<ModelEvaluated> event) {
    ModelEvaluated m = event.data();
    EvaluationEntity e = new EvaluationEntity();
    e.evaluationId = m.evaluationId();
    e.model = m.model();
    e.kind = m.kind().wire();
    if (m.candidate() != null) {
      e.candidateRunId = m.candidate().runId();
      e.candidateVersion = m.candidate().version();
      e.candidateDigest = m.candidate().artifactDigest();
      e.candidateBleu = m.candidate().bleu();
      if (m.candidate().interval() != null) {
        e.candidateLow = m.candidate().interval().low();
        e.candidateHigh = m.candidate().interval().high();
      }
    }
    if (m.champion() != null) {
      e.championRunId = m.champion().runId();
      e.championVersion = m.champion().version();
      e.championBleu = m.champion().bleu();
    }
    e.dataset = DatasetColumns.of(m.dataset());
    e.testExamples = m.testExamples();
    e.signature = m.signature();
    e.delta = m.delta();
    e.pValue = m.pValue();
    if (m.deltaInterval() != null) {
      e.deltaLow = m.deltaInterval().low();
      e.deltaHigh = m.deltaInterval().high();
    }
    e.verdict = m.verdict().wire();
    e.reasons = String.join("\n", m.reasons());
    e.reportUri = m.reportUri();
    e.receivedAt = Columns.now();
    e.decision = RECORDED;
    e.eventId = event.meta().id();
    return e;
  }

  /** Sets what the registry decided and why. */
  public void decide(String decision, String reason) {
    this.decision = decision;
    this.decisionReason = reason;
  }
}
