package dev.conveyor.trainer.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus metrics: {@code conveyor_trainer_step}, {@code _loss}, {@code _tokens_per_second},
 * {@code _busy} of the current run and {@code conveyor_trainer_runs_total{outcome}}, {@code
 * conveyor_trainer_runs_started_total}, {@code conveyor_trainer_checkpoints_total}.
 */
@ApplicationScoped
public class TrainerMetrics {
  private final MeterRegistry registry;
  private final AtomicLong step = new AtomicLong();
  private final AtomicLong busy = new AtomicLong();
  private final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> tokensPerSecond = new AtomicReference<>(0.0);
  private final Counter started;
  private final Counter checkpoints;

  public TrainerMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("conveyor.trainer.step", step);
    registry.gauge("conveyor.trainer.busy", busy);
    registry.gauge("conveyor.trainer.loss", loss, AtomicReference::get);
    registry.gauge("conveyor.trainer.tokens.per.second", tokensPerSecond, AtomicReference::get);
    this.started = registry.counter("conveyor.trainer.runs.started");
    this.checkpoints = registry.counter("conveyor.trainer.checkpoints");
  }

  void progress(long s, double l, double tps) {
    step.set(s);
    loss.set(l);
    tokensPerSecond.set(tps);
  }

  void started() {
    started.increment();
    busy.set(1);
  }

  void checkpoint() {
    checkpoints.increment();
  }

  void finished(String outcome) {
    busy.set(0);
    registry.counter("conveyor.trainer.runs", "outcome", outcome).increment();
  }

  /** Runs started by this instance (trainings, not replays). */
  public double startedCount() {
    return started.count();
  }
}
