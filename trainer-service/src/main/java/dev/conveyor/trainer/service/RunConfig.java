package dev.conveyor.trainer.service;

import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.train.TrainingConfig;
import java.util.Map;

/**
 * The configuration of one run: defaults, the model's YAML and the request's overrides merged.
 *
 * @param merged the merged flat map, as recorded in the run's state
 * @param architecture model shape for a scratch run ({@code vocabSize} is the BPE target)
 * @param training hyper-parameters, device included
 * @param hash {@code sha256:<hex>} of the model module's canonical config JSON
 */
public record RunConfig(
    Map<String, Object> merged, ModelConfig architecture, TrainingConfig training, String hash) {}
