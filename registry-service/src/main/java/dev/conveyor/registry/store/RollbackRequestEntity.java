package dev.conveyor.registry.store;

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
}
