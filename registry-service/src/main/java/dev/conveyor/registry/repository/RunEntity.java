package dev.conveyor.registry.repository;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.ModelTrained;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
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

  @Embedded public DatasetColumns dataset;

  @Embedded public BaseModelColumns base;

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

  /** The row for a model-trained event, succeeded or failed. */
  public static RunEntity of(CloudEvent<ModelTrained> event) {
    ModelTrained t = event.data();
    RunEntity r = new RunEntity();
    r.runId = t.runId();
    r.requestId = t.requestId();
    r.model = t.model();
    r.dataset = DatasetColumns.of(t.dataset());
    r.base = BaseModelColumns.of(t.baseModel());
    r.configHash = t.configHash();
    r.status = t.outcome().status().wire();
    r.failureReason = t.outcome().reason();
    if (t.artifact() != null) {
      r.artifactUri = t.artifact().uri();
      r.artifactDigest = t.artifact().digest();
      r.artifactSize = t.artifact().sizeBytes();
    }
    if (t.metrics() != null) {
      r.finalLoss = t.metrics().finalLoss();
      r.steps = t.metrics().steps();
      r.tokensPerSecond = t.metrics().tokensPerSecond();
      r.durationMillis = t.metrics().durationMillis();
    }
    r.finishedAt = Columns.micros(event.meta().time(), Columns.now());
    r.eventId = event.meta().id();
    return r;
  }

  public boolean succeeded() {
    return "succeeded".equals(status);
  }
}
