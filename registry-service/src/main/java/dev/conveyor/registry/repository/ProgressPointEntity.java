package dev.conveyor.registry.repository;

import dev.conveyor.events.TrainingProgress;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One training-progress event: (step, loss) of a run, for its loss curve. */
@Entity
@Table(name = "progress_point")
public class ProgressPointEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "run_id", nullable = false)
  public String runId;

  @Column(nullable = false)
  public String model;

  @Column(nullable = false)
  public long step;

  @Column(name = "total_steps", nullable = false)
  public long totalSteps;

  @Column(nullable = false)
  public double loss;

  @Column(name = "tokens_per_second", nullable = false)
  public double tokensPerSecond;

  @Column(name = "received_at", nullable = false)
  public Instant receivedAt;

  /** The point a training-progress event reports, received now. */
  public static ProgressPointEntity of(TrainingProgress p) {
    ProgressPointEntity e = new ProgressPointEntity();
    e.runId = p.runId();
    e.model = p.model();
    e.step = p.step();
    e.totalSteps = p.totalSteps();
    e.loss = p.loss();
    e.tokensPerSecond = p.tokensPerSecond();
    e.receivedAt = Columns.now();
    return e;
  }
}
