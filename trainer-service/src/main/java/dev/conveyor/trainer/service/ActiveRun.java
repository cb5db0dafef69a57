package dev.conveyor.trainer.service;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.TrainRequested;
import java.util.ArrayList;
import java.util.List;

/** The run this instance is working on: live step, loss curve and the cancel flag. */
public final class ActiveRun {
  private final String runId;
  private final CloudEvent<TrainRequested> request;
  private final RunConfig config;
  private final List<Double> losses = new ArrayList<>();
  private volatile boolean cancelled;
  private long step;
  private long totalSteps;
  private double tokensPerSecond;
  private long etaSeconds;
  private long lastReportNanos;
  private long lastCheckpointNanos = System.nanoTime();

  ActiveRun(String runId, CloudEvent<TrainRequested> request, RunConfig config) {
    this.runId = runId;
    this.request = request;
    this.config = config;
    this.totalSteps = config.training().steps();
  }

  public String runId() {
    return runId;
  }

  public TrainRequested request() {
    return request.data();
  }

  public CloudEvent<TrainRequested> event() {
    return request;
  }

  public RunConfig config() {
    return config;
  }

  /** Restores the curve of a resumed run. */
  synchronized void restore(long resumedStep, List<Double> curve) {
    step = resumedStep;
    losses.clear();
    losses.addAll(curve);
  }

  synchronized void record(long newStep, long total, double loss, double tps, long eta) {
    step = newStep;
    totalSteps = total;
    losses.add(loss);
    tokensPerSecond = tps;
    etaSeconds = eta;
  }

  public synchronized long step() {
    return step;
  }

  public synchronized long totalSteps() {
    return totalSteps;
  }

  public synchronized List<Double> losses() {
    return List.copyOf(losses);
  }

  public synchronized double tokensPerSecond() {
    return tokensPerSecond;
  }

  public synchronized long etaSeconds() {
    return etaSeconds;
  }

  /** True (and the clock restarted) when a report is due. */
  synchronized boolean reportDue(long intervalNanos, boolean last) {
    long now = System.nanoTime();
    if (last || lastReportNanos == 0 || now - lastReportNanos >= intervalNanos) {
      lastReportNanos = now;
      return true;
    }
    return false;
  }

  synchronized boolean checkpointDue(long intervalNanos) {
    return System.nanoTime() - lastCheckpointNanos >= intervalNanos;
  }

  synchronized void checkpointed() {
    lastCheckpointNanos = System.nanoTime();
  }

  void cancel() {
    cancelled = true;
  }

  public boolean cancelled() {
    return cancelled;
  }
}
