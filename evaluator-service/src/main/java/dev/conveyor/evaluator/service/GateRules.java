package dev.conveyor.evaluator.service;

import dev.conveyor.evaluator.config.EvaluatorConfig.FirstModelPolicy;
import dev.conveyor.evaluator.config.GatePolicy;
import dev.conveyor.events.ModelEvaluated.Interval;
import dev.conveyor.events.ModelEvaluated.Verdict;
import dev.conveyor.events.TrainRequested;
import java.util.List;
import java.util.Locale;

/**
 * The gate's and the retrain policy's decisions, as pure functions of scores and policy. Every
 * check adds a sentence with its numbers, passed or not, so the event says why.
 */
public final class GateRules {
  private GateRules() {}

  /**
   * Verdict on a candidate.
   *
   * @param championVersion null when the model has no champion yet
   * @param championBleu the champion's BLEU on the same test view (null without champion)
   * @param pValue paired bootstrap p-value of the difference (null without champion)
   * @param deltaInterval paired bootstrap interval of the difference (null without champion); it
   *     informs, the verdict rests on the minimum delta and the p-value
   */
  public static Verdict candidate(
      GatePolicy p,
      double candidateBleu,
      Long championVersion,
      Double championBleu,
      Double pValue,
      Interval deltaInterval,
      List<String> reasons) {
    boolean ok = true;
    if (candidateBleu >= p.minBleu()) {
      reasons.add(fmt("candidate BLEU %.2f reaches the minimum %.2f", candidateBleu, p.minBleu()));
    } else {
      reasons.add(fmt("candidate BLEU %.2f is below the minimum %.2f", candidateBleu, p.minBleu()));
      ok = false;
    }
    if (championVersion == null) {
      if (p.firstModelPolicy() == FirstModelPolicy.PROMOTE_IF_MIN_BLEU) {
        reasons.add(
            fmt(
                "no champion yet: first-model policy %s %s",
                p.firstModelPolicy().label(),
                ok
                    ? "passes a first model that reaches the minimum BLEU"
                    : "passes a first model only if it reaches the minimum BLEU"));
      } else {
        reasons.add(
            fmt(
                "no champion yet: first-model policy %s never passes a first model automatically;"
                    + " promote one by hand",
                p.firstModelPolicy().label()));
        ok = false;
      }
      return ok ? Verdict.PASSED : Verdict.FAILED;
    }
    double delta = candidateBleu - championBleu;
    boolean big = delta >= p.minDelta();
    boolean significant = pValue != null && pValue < p.alpha();
    if (big && significant) {
      reasons.add(
          fmt(
              "candidate BLEU %.2f beats champion v%d BLEU %.2f by %.2f ≥ %.2f with p=%.4f < %.2f",
              candidateBleu,
              championVersion,
              championBleu,
              delta,
              p.minDelta(),
              pValue,
              p.alpha()));
    } else {
      if (!big) {
        reasons.add(
            fmt(
                "candidate BLEU %.2f does not beat champion v%d BLEU %.2f by the minimum delta"
                    + " %.2f (delta %.2f)",
                candidateBleu, championVersion, championBleu, p.minDelta(), delta));
      }
      if (delta == 0.0) {
        reasons.add(
            "candidate and champion score the same: there is no difference to test for"
                + " significance");
      } else if (!significant) {
        reasons.add(
            fmt(
                "the difference of %.2f BLEU is not significant: p=%.4f ≥ alpha %.2f",
                delta, pValue == null ? 1.0 : pValue, p.alpha()));
      } else if (!big) {
        reasons.add(fmt("the difference is significant (p=%.4f < %.2f)", pValue, p.alpha()));
      }
      ok = false;
    }
    if (deltaInterval != null) {
      reasons.add(
          fmt(
              "the %s paired bootstrap interval of the difference is [%.2f, %.2f]%s",
              percent(p.deltaConfidence()),
              deltaInterval.low(),
              deltaInterval.high(),
              deltaInterval.low() > 0
                  ? ": the candidate is better on nearly every resample"
                  : deltaInterval.high() < 0
                      ? ": the candidate is worse on nearly every resample"
                      : ": it includes 0"));
    }
    return ok ? Verdict.PASSED : Verdict.FAILED;
  }

  /** "95%", "99.5%". */
  public static String percent(double level) {
    // shift the decimal digits, not the binary value: 0.57 * 100 is 56.99999999999999
    return java.math.BigDecimal.valueOf(level)
            .movePointRight(2)
            .stripTrailingZeros()
            .toPlainString()
        + "%";
  }

  /** Outcome of a champion check: the verdict and the training it calls for (null: none). */
  public record Check(Verdict verdict, TrainRequested.Reason trainReason) {}

  /**
   * The daily policy: is the champion still proficient and not degraded, and is there enough new
   * data to retrain anyway?
   *
   * @param promotedBleu the BLEU it was promoted with, null when unknown
   * @param newRecords training records added since the champion's dataset
   */
  public static Check championCheck(
      GatePolicy p,
      long championVersion,
      double bleu,
      Double promotedBleu,
      long newRecords,
      String since,
      List<String> reasons) {
    TrainRequested.Reason reason = null;
    boolean proficient = bleu >= p.minBleu();
    if (proficient) {
      reasons.add(
          fmt(
              "champion v%d BLEU %.2f reaches the minimum %.2f",
              championVersion, bleu, p.minBleu()));
    } else {
      reasons.add(
          fmt(
              "champion v%d BLEU %.2f is below the minimum %.2f: not proficient",
              championVersion, bleu, p.minBleu()));
      reason = TrainRequested.Reason.NOT_PROFICIENT;
    }
    boolean degraded = false;
    if (promotedBleu == null) {
      reasons.add(
          "the BLEU the champion was promoted with is unknown (no gate evaluation): degradation"
              + " not checked");
    } else {
      double drop = promotedBleu - bleu;
      degraded = drop > p.degradedDrop();
      reasons.add(
          fmt(
              "champion was promoted with BLEU %.2f and now scores %.2f, a drop of %.2f %s %.2f:"
                  + " %s",
              promotedBleu,
              bleu,
              drop,
              degraded ? ">" : "≤",
              p.degradedDrop(),
              degraded ? "degraded" : "not degraded"));
      if (degraded && reason == null) {
        reason = TrainRequested.Reason.DEGRADED;
      }
    }
    boolean enough = newRecords >= p.newDataThreshold();
    reasons.add(
        fmt(
            "%d new training records since %s %s the threshold %d%s",
            newRecords,
            since,
            enough ? "reach" : "are below",
            p.newDataThreshold(),
            enough ? ": enough new data" : ""));
    if (enough && reason == null) {
      reason = TrainRequested.Reason.NEW_DATA;
    }
    boolean fine = proficient && !degraded;
    if (reason == null) {
      reasons.add("the champion is still fine: no training requested");
    } else {
      reasons.add("training requested: " + reason.wire());
    }
    return new Check(fine ? Verdict.PASSED : Verdict.FAILED, reason);
  }

  static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
