package dev.conveyor.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A model name the registry has seen; its row is the lock that serialises changes to the model. */
@Entity
@Table(name = "registered_model")
public class RegisteredModel {
  @Id public String name;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
