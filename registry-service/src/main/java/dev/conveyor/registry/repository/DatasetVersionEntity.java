package dev.conveyor.registry.repository;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.DataArrived;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One data-arrived event: an immutable dataset version. */
@Entity
@Table(name = "dataset_version")
public class DatasetVersionEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false)
  public String dataset;

  @Column(nullable = false)
  public long version;

  @Column(name = "manifest_uri", nullable = false, length = 1024)
  public String manifestUri;

  @Column(name = "manifest_digest", nullable = false)
  public String manifestDigest;

  @Column(name = "train_count", nullable = false)
  public long trainCount;

  @Column(name = "test_count", nullable = false)
  public long testCount;

  @Column(name = "quarantined_count", nullable = false)
  public long quarantinedCount;

  @Column(name = "parent_version")
  public Long parentVersion;

  public String source;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "received_at", nullable = false)
  public Instant receivedAt;

  @Column(name = "event_id", nullable = false)
  public String eventId;

  /** The row for a data-arrived event. */
  public static DatasetVersionEntity of(CloudEvent<DataArrived> event) {
    DataArrived d = event.data();
    DatasetVersionEntity e = new DatasetVersionEntity();
    e.dataset = d.dataset();
    e.version = d.version();
    e.manifestUri = d.manifestUri();
    e.manifestDigest = d.manifestDigest();
    e.trainCount = d.counts() == null ? 0 : d.counts().train();
    e.testCount = d.counts() == null ? 0 : d.counts().test();
    e.quarantinedCount = d.counts() == null ? 0 : d.counts().quarantined();
    e.parentVersion = d.parentVersion();
    e.source = d.source();
    e.createdAt = Columns.micros(d.createdAt());
    e.receivedAt = Columns.now();
    e.eventId = event.meta().id();
    return e;
  }
}
