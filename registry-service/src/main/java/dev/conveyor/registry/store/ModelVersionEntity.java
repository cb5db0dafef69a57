package dev.conveyor.registry.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A registered model version: the registry's immutable copy under {@code models/<name>/<version>/}.
 * Status {@code pending} while the copy is verified, then {@code registered} or {@code rejected};
 * {@code archived} by an admin.
 */
@Entity
@Table(name = "model_version")
public class ModelVersionEntity {
  public static final String PENDING = "pending";
  public static final String REGISTERED = "registered";
  public static final String REJECTED = "rejected";
  public static final String ARCHIVED = "archived";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false)
  public String model;

  @Column(nullable = false)
  public long version;

  @Column(name = "run_id", nullable = false)
  public String runId;

  @Column(nullable = false, length = 32)
  public String status;

  @Column(name = "status_reason", length = 4096)
  public String statusReason;

  /** The trainer's artifact the copy was made from ({@code s3://.../runs/<run>/model.tar.gz}). */
  @Column(name = "source_uri", nullable = false, length = 1024)
  public String sourceUri;

  @Column(name = "artifact_uri", nullable = false, length = 1024)
  public String artifactUri;

  @Column(name = "artifact_digest", nullable = false)
  public String artifactDigest;

  @Column(name = "artifact_size", nullable = false)
  public long artifactSize;

  @Column(name = "dataset_name", nullable = false)
  public String datasetName;

  @Column(name = "dataset_version", nullable = false)
  public long datasetVersion;

  @Column(name = "dataset_digest", nullable = false)
  public String datasetDigest;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  public boolean promotable() {
    return REGISTERED.equals(status);
  }
}
