package dev.conveyor.registry.repository;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.RollbackRequested;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One rollback-requested event and its outcome. */
@Entity
@Table(name = "rollback_request")
public class RollbackRequestEntity {
  public static final String ROLLED_BACK = "rolled-back";
  public static final String REFUSED = "refused";

  @Id
  @Column(name = "request_id")
  public String requestId;

  @Column(nullable = false)
  public String model;

  @Column(name = "from_version", nullable = false)
  public long fromVersion;

  @Column(nullable = false, length = 4096)
  public String reason;

  @Column(name = "evidence_json", nullable = false, length = 8192)
  public String evidenceJson;

  @Column(name = "requested_by", nullable = false)
  public String requestedBy;

  @Column(name = "received_at", nullable = false)
  public Instant receivedAt;

  @Column(nullable = false, length = 32)
  public String outcome;

  @Column(name = "outcome_reason", length = 4096)
  public String outcomeReason;

  @Column(name = "event_id", nullable = false)
  public String eventId;

  /** The row for a rollback-requested event; its outcome is set before it is stored. */
  public static RollbackRequestEntity of(CloudEvent<RollbackRequested> event) {
    RollbackRequested r = event.data();
    RollbackRequestEntity e = new RollbackRequestEntity();
    e.requestId = r.requestId();
    e.model = r.model();
    e.fromVersion = r.fromVersion();
    e.reason = r.reason();
    e.evidenceJson = Columns.json(r.evidence());
    e.requestedBy = r.requestedBy();
    e.receivedAt = Columns.now();
    e.eventId = event.meta().id();
    return e;
  }
}
