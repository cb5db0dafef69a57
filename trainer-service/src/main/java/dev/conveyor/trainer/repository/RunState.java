package dev.conveyor.trainer.repository;

import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.TrainRequested;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/<run-id>/state.json}: where a run stands, who owns it, and (once terminal) the exact
 * {@code model-trained} event so a replayed request re-publishes it unchanged.
 *
 * @param attempts starts of the run (1 + resumes after a crash)
 * @param owner instance id of the trainer working on it
 * @param heartbeatAt refreshed by the owner while running; a stale one lets another instance take
 *     over
 * @param losses loss of every completed step (as of the last heartbeat or checkpoint)
 * @param result the published event (terminal states only)
 * @param resultMeta its CloudEvents attributes, id included (terminal states only)
 */
public record RunState(
    String runId,
    Status status,
    TrainRequested request,
    String configHash,
    Map<String, Object> config,
    int attempts,
    String owner,
    Instant startedAt,
    Instant heartbeatAt,
    long step,
    long totalSteps,
    List<Double> losses,
    String reason,
    ModelTrained result,
    CloudEventMeta resultMeta) {

  /** Life cycle of a run. */
  public enum Status {
    REQUESTED,
    RUNNING,
    SUCCEEDED,
    FAILED;

    public boolean terminal() {
      return this == SUCCEEDED || this == FAILED;
    }
  }

  public RunState {
    losses = losses == null ? List.of() : List.copyOf(losses);
    config = config == null ? Map.of() : config;
  }

  /** A copy with progress. */
  public RunState withProgress(Instant heartbeat, long newStep, long total, List<Double> curve) {
    return new RunState(
        runId,
        status,
        request,
        configHash,
        config,
        attempts,
        owner,
        startedAt,
        heartbeat,
        newStep,
        total,
        curve,
        reason,
        result,
        resultMeta);
  }

  /** The terminal copy carrying the published event. */
  public RunState finished(ModelTrained event, CloudEventMeta meta, Instant at) {
    Status s = event.succeeded() ? Status.SUCCEEDED : Status.FAILED;
    return new RunState(
        runId,
        s,
        request,
        configHash,
        config,
        attempts,
        owner,
        startedAt,
        at,
        step,
        totalSteps,
        losses,
        event.outcome().reason(),
        event,
        meta);
  }
}
