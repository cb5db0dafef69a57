package dev.conveyor.evaluator.config;

import dev.conveyor.evaluator.config.EvaluatorConfig.FirstModelPolicy;
import dev.conveyor.events.ModelEvaluated;
import java.util.LinkedHashMap;
import java.util.Map;

/** The policy in force for one model: global configuration with its overrides applied. */
public record GatePolicy(
    double minBleu,
    double minDelta,
    double alpha,
    FirstModelPolicy firstModelPolicy,
    int bootstrapSamples,
    long seed,
    double deltaConfidence,
    double degradedDrop,
    long newDataThreshold,
    int batchSize,
    int maxNewTokens,
    Map<String, Object> trainConfig) {

  public GatePolicy {
    if (!(deltaConfidence > 0 && deltaConfidence < 1)) {
      throw new IllegalArgumentException(
          "conveyor.evaluator.delta-confidence must be between 0 and 1, got " + deltaConfidence);
    }
  }

  /** Resolves the policy of {@code model}. */
  public static GatePolicy of(EvaluatorConfig c, String model) {
    EvaluatorConfig.ModelOverrides o = c.models().get(model);
    Map<String, Object> train = new LinkedHashMap<>();
    c.trainConfig().forEach((k, v) -> train.put(k, parse(v)));
    if (o == null) {
      return new GatePolicy(
          c.minBleu(),
          c.minDelta(),
          c.alpha(),
          c.firstModelPolicy(),
          c.bootstrapSamples(),
          c.seed(),
          c.deltaConfidence(),
          c.degradedDrop(),
          c.newDataThreshold(),
          c.batchSize(),
          c.maxNewTokens(),
          Map.copyOf(train));
    }
    o.trainConfig().forEach((k, v) -> train.put(k, parse(v)));
    return new GatePolicy(
        o.minBleu().orElse(c.minBleu()),
        o.minDelta().orElse(c.minDelta()),
        o.alpha().orElse(c.alpha()),
        o.firstModelPolicy().orElse(c.firstModelPolicy()),
        c.bootstrapSamples(),
        c.seed(),
        c.deltaConfidence(),
        o.degradedDrop().orElse(c.degradedDrop()),
        o.newDataThreshold().orElse(c.newDataThreshold()),
        c.batchSize(),
        o.maxNewTokens().orElse(c.maxNewTokens()),
        Map.copyOf(train));
  }

  /** The thresholds as the event carries them. */
  public ModelEvaluated.Thresholds thresholds() {
    return new ModelEvaluated.Thresholds(minBleu, minDelta, alpha, firstModelPolicy.label());
  }

  // train-config values are typed loosely in properties; the trainer expects JSON numbers
  private static Object parse(String v) {
    if (v.matches("-?\\d{1,18}")) {
      return Long.parseLong(v);
    }
    if (v.matches("-?\\d*\\.\\d+([eE]-?\\d+)?|-?\\d+[eE]-?\\d+")) {
      return Double.parseDouble(v);
    }
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    return v;
  }
}
