package dev.conveyor.registry.repository;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.ModelTrained;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
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

  @Embedded public DatasetColumns dataset;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  public boolean promotable() {
    return REGISTERED.equals(status);
  }

  /** A new version of a succeeded run, {@code pending} until its copy is verified. */
  public static ModelVersionEntity pending(ModelTrained t, long version, String artifactUri) {
    ModelVersionEntity v = new ModelVersionEntity();
    v.model = t.model();
    v.version = version;
    v.runId = t.runId();
    v.status = PENDING;
    v.statusReason = "copying and verifying the artifact";
    v.sourceUri = t.artifact().uri();
    v.artifactUri = artifactUri;
    v.artifactDigest = t.artifact().digest();
    v.artifactSize = t.artifact().sizeBytes();
    v.dataset = DatasetColumns.of(t.dataset());
    v.createdAt = Columns.now();
    v.updatedAt = v.createdAt;
    return v;
  }

  /** The copied artifact as the events describe it. */
  public ArtifactRef artifact() {
    return new ArtifactRef(artifactUri, artifactDigest, artifactSize);
  }
}
