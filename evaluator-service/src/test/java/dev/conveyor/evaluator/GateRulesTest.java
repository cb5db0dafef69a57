package dev.conveyor.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.evaluator.config.EvaluatorConfig.FirstModelPolicy;
import dev.conveyor.evaluator.config.GatePolicy;
import dev.conveyor.evaluator.service.GateRules;
import dev.conveyor.events.ModelEvaluated.Interval;
import dev.conveyor.events.ModelEvaluated.Verdict;
import dev.conveyor.events.TrainRequested.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateRulesTest {
  private static GatePolicy policy(FirstModelPolicy first) {
    return new GatePolicy(20.0, 1.0, 0.05, first, 1000, 12345, 0.95, 5.0, 1000, 32, 64, Map.of());
  }

  @Test
  void candidateMustBeatTheChampionByTheDeltaWithSignificance() {
    List<String> reasons = new ArrayList<>();
    assertEquals(
        Verdict.PASSED,
        GateRules.candidate(
            policy(FirstModelPolicy.NEVER),
            41.2,
            3L,
            35.1,
            0.001,
            new Interval(4.512, 7.736),
            reasons));
    assertEquals(
        List.of(
            "candidate BLEU 41.20 reaches the minimum 20.00",
            "candidate BLEU 41.20 beats champion v3 BLEU 35.10 by 6.10 ≥ 1.00 with p=0.0010 < 0.05",
            "the 95% paired bootstrap interval of the difference is [4.51, 7.74]: the candidate is"
                + " better on nearly every resample"),
        reasons);

    reasons.clear();
    assertEquals(
        Verdict.FAILED,
        GateRules.candidate(
            policy(FirstModelPolicy.NEVER), 36.0, 3L, 35.1, 0.2, new Interval(-0.4, 2.1), reasons));
    assertTrue(
        reasons
            .get(1)
            .contains(
                "does not beat champion v3 BLEU 35.10 by the minimum delta 1.00 (delta 0.90)"),
        reasons.toString());
    assertTrue(
        reasons.get(2).contains("not significant: p=0.2000 ≥ alpha 0.05"), reasons.toString());
    assertEquals(
        "the 95% paired bootstrap interval of the difference is [-0.40, 2.10]: it includes 0",
        reasons.get(3));

    reasons.clear();
    assertEquals(
        Verdict.FAILED,
        GateRules.candidate(policy(FirstModelPolicy.NEVER), 40.0, 3L, 35.0, 0.09, null, reasons));
    assertEquals(2, reasons.size(), reasons.toString());

    reasons.clear();
    GateRules.candidate(
        policy(FirstModelPolicy.NEVER), 30.0, 3L, 35.0, 0.001, new Interval(-6.5, -3.2), reasons);
    assertTrue(
        reasons.get(reasons.size() - 1).endsWith("the candidate is worse on nearly every resample"),
        reasons.toString());
  }

  @Test
  void firstModelPolicyIsExplicit() {
    List<String> reasons = new ArrayList<>();
    assertEquals(
        Verdict.PASSED,
        GateRules.candidate(
            policy(FirstModelPolicy.PROMOTE_IF_MIN_BLEU), 25, null, null, null, null, reasons));
    assertTrue(
        reasons.get(1).startsWith("no champion yet: first-model policy promote-if-min-bleu"));
    reasons.clear();
    assertEquals(
        Verdict.FAILED,
        GateRules.candidate(
            policy(FirstModelPolicy.PROMOTE_IF_MIN_BLEU), 15, null, null, null, null, reasons));
    reasons.clear();
    assertEquals(
        Verdict.FAILED,
        GateRules.candidate(policy(FirstModelPolicy.NEVER), 99, null, null, null, null, reasons));
    assertTrue(reasons.get(1).contains("never passes a first model automatically"));
  }

  @Test
  void championCheckPicksTheFirstReasonThatApplies() {
    GatePolicy p = policy(FirstModelPolicy.PROMOTE_IF_MIN_BLEU);
    List<String> reasons = new ArrayList<>();
    GateRules.Check fine = GateRules.championCheck(p, 4, 40, 42.0, 10, "qa v2", reasons);
    assertEquals(Verdict.PASSED, fine.verdict());
    assertNull(fine.trainReason());
    assertEquals(
        "the champion is still fine: no training requested", reasons.get(reasons.size() - 1));

    assertEquals(
        Reason.DEGRADED,
        GateRules.championCheck(p, 4, 30, 42.0, 10, "qa v2", new ArrayList<>()).trainReason());
    assertEquals(
        Reason.NOT_PROFICIENT,
        GateRules.championCheck(p, 4, 10, 42.0, 5000, "qa v2", new ArrayList<>()).trainReason());
    GateRules.Check data =
        GateRules.championCheck(p, 4, 40, null, 5000, "qa v2", new ArrayList<>());
    assertEquals(Reason.NEW_DATA, data.trainReason());
    assertEquals(Verdict.PASSED, data.verdict());
  }

  @Test
  void intervalLevelIsWrittenAsAPercentAndValidated() {
    assertEquals("95%", GateRules.percent(0.95));
    assertEquals("99.5%", GateRules.percent(0.995));
    assertEquals("90%", GateRules.percent(0.9));
    assertEquals("57%", GateRules.percent(0.57));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                new GatePolicy(
                    20.0,
                    1.0,
                    0.05,
                    FirstModelPolicy.NEVER,
                    1000,
                    12345,
                    95,
                    5.0,
                    1000,
                    32,
                    64,
                    Map.of()));
    assertTrue(e.getMessage().contains("delta-confidence"), e.getMessage());
  }
}
