package dev.conveyor.registry.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One model-trained event: a finished training run, succeeded or failed. */
@Entity
@Table(name = "training_run")
public class RunEntity {
  @Id
  @Column(name = "run_id")
  public String runId;

  @Column(name = "request_id", nullable = false)
  public String requestId;

  @Column(nullable = false)
  public String model;

  @Column(name = "dataset_name", nullable = false)
  public String datasetName;

  @Column(name = "dataset_version", nullable = false)
  public long datasetVersion;

  @Column(name = "dataset_digest", nullable = false)
  public String datasetDigest;

  @Column(name = "base_kind", nullable = false, length = 32)
  public String baseKind;

  @Column(name = "base_version")
  public Long baseVersion;

  @Column(name = "config_hash", nullable = false)
  public String configHash;

  @Column(nullable = false, length = 32)
  public String status;

  @Column(name = "failure_reason", length = 4096)
  public String failureReason;

  @Column(name = "artifact_uri", length = 1024)
  public String artifactUri;

  @Column(name = "artifact_digest")
  public String artifactDigest;

  @Column(name = "artifact_size")
  public Long artifactSize;

  @Column(name = "final_loss")
  public Double finalLoss;

  public Long steps;

  @Column(name = "tokens_per_second")
  public Double tokensPerSecond;

  @Column(name = "duration_millis")
  public Long durationMillis;

  @Column(name = "finished_at", nullable = false)
  public Instant finishedAt;

  @Column(name = "event_id", nullable = false)
  public String eventId;
}
