package dev.conveyor.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** The evaluator's configuration: gate policy defaults, per-model overrides and generation. */
@ConfigMapping(prefix = "conveyor.evaluator")
public interface EvaluatorConfig {

  /** Base URL of registry-service; absent: the champion is tracked from model-promoted only. */
  Optional<String> registryUrl();

  /** Minimum corpus BLEU any champion must reach. */
  @WithDefault("10.0")
  double minBleu();

  /** BLEU points a candidate must beat the champion by. */
  @WithDefault("1.0")
  double minDelta();

  /** Significance level of the paired bootstrap test. */
  @WithDefault("0.05")
  double alpha();

  /** What to do when a model has no champion yet. */
  @WithDefault("promote-if-min-bleu")
  FirstModelPolicy firstModelPolicy();

  /** Paired bootstrap resamples (sacreBLEU's default). */
  @WithDefault("1000")
  int bootstrapSamples();

  /** Seed of the paired bootstrap (sacreBLEU's default). */
  @WithDefault("12345")
  long seed();

  /**
   * Level of the paired bootstrap's percentile interval of the difference (candidate − champion),
   * published as {@code model-evaluated.deltaInterval}.
   */
  @WithDefault("0.95")
  double deltaConfidence();

  /** BLEU points below its promotion score at which a champion counts as degraded. */
  @WithDefault("5.0")
  double degradedDrop();

  /** New training records in one dataset version that justify a retrain on their own. */
  @WithDefault("1000")
  long newDataThreshold();

  /** Prompts per generation batch. */
  @WithDefault("32")
  int batchSize();

  /** Most tokens generated per prompt. */
  @WithDefault("64")
  int maxNewTokens();

  /** Training config sent with every train-requested (values as strings, numbers parsed). */
  Map<String, String> trainConfig();

  /**
   * Models to re-check when a dataset gets a new version: dataset name to comma-separated models.
   */
  Map<String, String> datasetModels();

  /** Model re-checked for a dataset not listed in dataset-models; absent: none. */
  Optional<String> defaultModel();

  /** Where artifacts are unpacked while evaluated. */
  @WithDefault("${java.io.tmpdir}/conveyor-evaluator")
  String workDirectory();

  /** Per-model overrides of the gate and retrain policy. */
  @WithName("models")
  Map<String, ModelOverrides> models();

  /** Any value left out falls back to the global one. */
  interface ModelOverrides {
    OptionalDouble minBleu();

    OptionalDouble minDelta();

    OptionalDouble alpha();

    Optional<FirstModelPolicy> firstModelPolicy();

    OptionalDouble degradedDrop();

    Optional<Long> newDataThreshold();

    OptionalInt maxNewTokens();

    Map<String, String> trainConfig();
  }

  /** The explicit policy for a model's first candidate. */
  enum FirstModelPolicy {
    PROMOTE_IF_MIN_BLEU,
    NEVER;

    /** The configuration spelling, e.g. {@code promote-if-min-bleu}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }
}
