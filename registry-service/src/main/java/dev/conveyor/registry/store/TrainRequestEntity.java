package dev.conveyor.registry.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One train-requested event. */
@Entity
@Table(name = "train_request")
public class TrainRequestEntity {
  @Id
  @Column(name = "request_id")
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

  @Column(name = "config_json", nullable = false, length = 8192)
  public String configJson;

  @Column(nullable = false, length = 64)
  public String reason;

  @Column(name = "requested_by", nullable = false)
  public String requestedBy;

  @Column(name = "requested_at", nullable = false)
  public Instant requestedAt;

  @Column(name = "event_id", nullable = false)
  public String eventId;
}
