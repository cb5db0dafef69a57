package dev.conveyor.registry.store;

import jakarta.persistence.Column;
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

  @Column(name = "dataset_name", nullable = false)
  public String datasetName;

  @Column(name = "dataset_version", nullable = false)
  public long datasetVersion;

  @Column(name = "dataset_digest", nullable = false)
  public String datasetDigest;

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
}
