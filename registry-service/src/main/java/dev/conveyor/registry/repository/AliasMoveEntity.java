package dev.conveyor.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One appended move of an alias; never updated. The champion is the latest move's target. */
@Entity
@Table(name = "alias_move")
public class AliasMoveEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false)
  public String model;

  @Column(nullable = false, length = 64)
  public String alias;

  @Column(name = "from_version")
  public Long fromVersion;

  @Column(name = "to_version", nullable = false)
  public long toVersion;

  /** gate, manual or rollback (the wire values of ModelPromoted.Reason). */
  @Column(nullable = false, length = 32)
  public String reason;

  @Column(nullable = false)
  public String actor;

  @Column(name = "evaluation_id")
  public String evaluationId;

  @Column(name = "rollback_request")
  public String rollbackRequest;

  @Column(length = 4096)
  public String note;

  @Column(name = "moved_at", nullable = false)
  public Instant movedAt;

  /** The CloudEvents id of the model-promoted event this move published (the outbox row). */
  @Column(name = "event_id", nullable = false, unique = true)
  public String eventId;
}
