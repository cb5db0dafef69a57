package dev.conveyor.trainer.rest;

import dev.conveyor.events.ArtifactRef;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /runs/{id}}: state and loss curve so far.
 *
 * @param live true when this instance is training the run right now (curve is up to the step)
 * @param losses loss of every completed step, index 0 = step 1
 */
public record RunView(
    String runId,
    String model,
    String status,
    boolean live,
    String owner,
    int attempts,
    long step,
    long totalSteps,
    Double tokensPerSecond,
    Long etaSeconds,
    List<Double> losses,
    String configHash,
    String reason,
    ArtifactRef artifact,
    Instant heartbeatAt) {}
