package dev.conveyor.model.train;

import java.time.Duration;

/**
 * One progress report, sent after every optimizer step.
 *
 * @param step steps done (1-based)
 * @param totalSteps steps of the whole run
 * @param loss training loss of this step (mean cross-entropy over weighted targets, nats)
 * @param learningRate learning rate used by this step
 * @param tokensPerSecond input tokens per second since this session started
 * @param eta estimated time to the end of the run
 */
public record TrainingProgress(
    long step,
    long totalSteps,
    double loss,
    double learningRate,
    double tokensPerSecond,
    Duration eta) {}
