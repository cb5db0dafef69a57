package dev.conveyor.model.train;

import java.time.Duration;
import java.util.List;

/**
 * Outcome of {@link GptTrainer#train}.
 *
 * @param steps steps completed in total (including those before a resume)
 * @param losses loss of every step of the run, index 0 = step 1 (restored from checkpoints on
 *     resume)
 * @param finalLoss mean loss of the last min(50, steps) steps
 * @param tokensPerSecond throughput of this session
 * @param elapsed wall time of this session
 */
public record TrainingResult(
    long steps, List<Double> losses, double finalLoss, double tokensPerSecond, Duration elapsed) {}
