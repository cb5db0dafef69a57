package dev.conveyor.model.train;

import dev.conveyor.model.nn.ModelConfig;
import java.util.List;

/**
 * The JSON part of a checkpoint ({@code state.json}); tensors are in {@code weights.safetensors}
 * and {@code optimizer.safetensors} next to it.
 *
 * @param step optimizer steps completed
 * @param dataPosition rows consumed ({@code step * batchSize}; batches are a function of the step)
 * @param rngScheme how random state is reproduced: the engine RNG is reseeded from (seed, step)
 *     before every step, so step and seed are the whole RNG state
 * @param datasetDigest digest of the tokenized rows; resume refuses different data
 * @param losses loss of every completed step
 * @param modelConfig architecture
 * @param trainingConfig hyper-parameters
 */
public record CheckpointState(
    long step,
    long dataPosition,
    String rngScheme,
    String datasetDigest,
    List<Double> losses,
    ModelConfig modelConfig,
    TrainingConfig trainingConfig) {

  /** The only RNG scheme so far. */
  public static final String RESEED_PER_STEP = "engine-reseed(seed,step)/v1";
}
