package dev.conveyor.registry.repository;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.TrainRequested;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
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

  @Embedded public DatasetColumns dataset;

  @Embedded public BaseModelColumns base;

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

  /** The row for a train-requested event. */
  public static TrainRequestEntity of(CloudEvent<TrainRequested> event) {
    TrainRequested r = event.data();
    TrainRequestEntity e = new TrainRequestEntity();
    e.requestId = r.requestId();
    e.model = r.model();
    e.dataset = DatasetColumns.of(r.dataset());
    e.base = BaseModelColumns.of(r.baseModel());
    e.configJson = Columns.json(r.config());
    e.reason = r.reason().wire();
    e.requestedBy = r.requestedBy();
    e.requestedAt = Columns.micros(event.meta().time(), Columns.now());
    e.eventId = event.meta().id();
    return e;
  }
}
