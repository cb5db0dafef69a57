package dev.conveyor.events;

import java.util.List;

/**
 * BLEU of a candidate against the champion on held-out data, and the gate's verdict; also the
 * result of a champion check when new data arrives. Key: the model name.
 */
public record ModelEvaluated(
    String evaluationId,
    String model,
    Kind kind,
    @Nullable Scored candidate,
    @Nullable Scored champion,
    DatasetRef dataset,
    long testExamples,
    String signature,
    @Nullable Double delta,
    @Nullable Double pValue,
    @Nullable Interval deltaInterval,
    Verdict verdict,
    List<String> reasons,
    Thresholds thresholds,
    @Nullable String reportUri)
    implements EventData {

  /** Gate a new candidate, or re-check the champion on a new dataset version. */
  public enum Kind implements WireEnum {
    CANDIDATE,
    CHAMPION_CHECK
  }

  /** The gate's decision. */
  public enum Verdict implements WireEnum {
    PASSED,
    FAILED
  }

  /** One evaluated model: its run, its registry version when known, its artifact and BLEU. */
  public record Scored(
      @Nullable String runId,
      @Nullable Long version,
      String artifactDigest,
      double bleu,
      @Nullable Interval interval) {}

  /** A 95% confidence interval. */
  public record Interval(double low, double high) {}

  /** The gate policy in force when the verdict was made. */
  public record Thresholds(
      double minBleu, double minDelta, double alpha, String firstModelPolicy) {}

  public ModelEvaluated {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }

  @Override
  public String key() {
    return model;
  }

  /** True when the gate passed. */
  public boolean passed() {
    return verdict == Verdict.PASSED;
  }
}
