package dev.conveyor.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An event committed with the change that caused it, published by the relay afterwards. */
@Entity
@Table(name = "outbox")
public class OutboxEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long seq;

  /** The CloudEvents id: stable across re-publishes, so consumers de-duplicate. */
  @Column(name = "event_id", nullable = false, unique = true)
  public String eventId;

  @Column(nullable = false)
  public String topic;

  @Column(name = "event_key", nullable = false)
  public String eventKey;

  @Column(name = "ce_type", nullable = false)
  public String ceType;

  @Column(nullable = false, length = 16384)
  public String payload;

  /** CloudEvents extensions as a JSON object. */
  @Column(nullable = false, length = 4096)
  public String extensions;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "published_at")
  public Instant publishedAt;

  @Column(nullable = false)
  public int attempts;

  @Column(name = "last_error", length = 4096)
  public String lastError;
}
