package dev.conveyor.evaluator.service;

import dev.conveyor.evaluator.config.EvaluatorConfig;
import dev.conveyor.evaluator.config.GatePolicy;
import dev.conveyor.evaluator.messaging.EventPublisher;
import dev.conveyor.evaluator.repository.EvaluationRepository;
import dev.conveyor.evaluator.service.ChampionService.Champion;
import dev.conveyor.evaluator.service.ScoringService.Generated;
import dev.conveyor.evaluator.service.ScoringService.Scores;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelEvaluated.Kind;
import dev.conveyor.events.ModelEvaluated.Scored;
import dev.conveyor.events.ModelEvaluated.Verdict;
import dev.conveyor.events.ModelTrained;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The promotion gate: a succeeded model-trained is scored against the champion on its dataset's
 * test view and exactly one model-evaluated is published for it, passed or failed, with a report.
 */
@ApplicationScoped
public class GateService {
  private static final Logger LOG = Logger.getLogger(GateService.class);
  private final EvaluatorConfig config;
  private final HeldOutScoring heldOut;
  private final ChampionService champions;
  private final EvaluationRepository repository;
  private final EventPublisher publisher;

  public GateService(
      EvaluatorConfig config,
      HeldOutScoring heldOut,
      ChampionService champions,
      EvaluationRepository repository,
      EventPublisher publisher) {
    this.config = config;
    this.heldOut = heldOut;
    this.champions = champions;
    this.repository = repository;
    this.publisher = publisher;
  }

  /** Gates the run of {@code event} unless it was gated before. Runs on the worker thread. */
  public void handle(CloudEvent<ModelTrained> event) {
    ModelTrained run = event.data();
    if (!run.succeeded()) {
      LOG.infof(
          "run %s of %s failed (%s): nothing to gate",
          run.runId(), run.model(), run.outcome().reason());
      return;
    }
    String marker = EvaluationRepository.runMarker(run.runId());
    Optional<String> done = repository.handled(marker);
    if (done.isPresent()) {
      LOG.infof("run %s was already gated as %s: duplicate ignored", run.runId(), done.get());
      return;
    }
    ModelEvaluated result = evaluate(run);
    repository.save(result);
    Map<String, String> ext = new HashMap<>();
    ext.put(CloudEventAttributes.RUN_ID, run.runId());
    ext.put(CloudEventAttributes.DATASET_DIGEST, run.dataset().digest());
    String traceparent = event.meta().traceparent();
    if (traceparent != null) {
      ext.put(CloudEventAttributes.TRACEPARENT, traceparent);
    }
    publisher.evaluated(result, ext);
    repository.markHandled(marker, result.evaluationId());
    LOG.infof(
        "gate %s for run %s of %s: %s %s",
        result.evaluationId(), run.runId(), run.model(), result.verdict().wire(), result.reasons());
  }

  /** Scores the candidate (and champion) and decides; never throws for a bad candidate. */
  public ModelEvaluated evaluate(ModelTrained run) {
    long started = System.currentTimeMillis();
    GatePolicy policy = GatePolicy.of(config, run.model());
    String id = Ids.evaluation("candidate", run.model(), run.runId());
    List<String> reasons = new ArrayList<>();
    Scored unscored = new Scored(run.runId(), null, run.artifact().digest(), 0.0, null);

    HeldOutScoring.Examples test;
    try {
      test = heldOut.examples(run.dataset());
    } catch (RuntimeException e) {
      reasons.add(
          "the test split of dataset "
              + run.dataset().name()
              + " v"
              + run.dataset().version()
              + " cannot be read: "
              + e.getMessage()
              + "; candidate not scored");
      return failed(id, run, policy, unscored, 0, reasons);
    }
    if (test.isEmpty()) {
      reasons.add(test.noExamplesReason() + "; candidate not scored");
      return failed(id, run, policy, unscored, 0, reasons);
    }
    Optional<Champion> champion = champions.champion(run.model());

    Generated cand;
    try {
      cand = heldOut.generate(run.artifact(), test, policy);
    } catch (ArtifactRejectedException e) {
      reasons.add("candidate " + e.getMessage() + "; candidate not scored");
      return failed(id, run, policy, unscored, test.size(), reasons);
    }
    Generated champ = null;
    String championProblem = null;
    if (champion.isPresent()) {
      try {
        champ = heldOut.generate(champion.get().artifact(), test, policy);
      } catch (ArtifactRejectedException e) {
        championProblem =
            "champion v"
                + champion.get().version()
                + " "
                + e.getMessage()
                + "; the candidate cannot be compared with it (roll back or promote by hand)";
      }
    }
    Scores s = heldOut.score(test, cand, champ, policy);
    Scored candidate =
        new Scored(
            run.runId(),
            null,
            run.artifact().digest(),
            s.candidate().bleu(),
            s.candidate().interval());
    Scored champScored = null;
    Double delta = null;
    Verdict verdict;
    if (championProblem != null) {
      reasons.add(
          GateRules.fmt(
              "candidate BLEU %.2f (minimum %.2f)", s.candidate().bleu(), policy.minBleu()));
      reasons.add(championProblem);
      verdict = Verdict.FAILED;
    } else {
      Champion c = champion.orElse(null);
      if (c != null) {
        champScored =
            new Scored(
                c.runId(),
                c.version(),
                c.artifact().digest(),
                s.champion().bleu(),
                s.champion().interval());
        delta = s.candidate().bleu() - s.champion().bleu();
      }
      verdict =
          GateRules.candidate(
              policy,
              s.candidate().bleu(),
              c == null ? null : c.version(),
              c == null ? null : s.champion().bleu(),
              s.pValue(),
              s.deltaInterval(),
              reasons);
    }
    ModelEvaluated result =
        new ModelEvaluated(
            id,
            run.model(),
            Kind.CANDIDATE,
            candidate,
            champScored,
            run.dataset(),
            test.size(),
            s.signature(),
            delta,
            s.pValue(),
            s.deltaInterval(),
            verdict,
            reasons,
            policy.thresholds(),
            heldOut.reportUri(run.model(), id));
    heldOut.report(result, test, cand, champ, s, policy, started);
    return result;
  }

  private ModelEvaluated failed(
      String id,
      ModelTrained run,
      GatePolicy policy,
      Scored candidate,
      long testExamples,
      List<String> reasons) {
    ModelEvaluated result =
        new ModelEvaluated(
            id,
            run.model(),
            Kind.CANDIDATE,
            candidate,
            null,
            run.dataset(),
            testExamples,
            heldOut.signature(policy),
            null,
            null,
            null,
            Verdict.FAILED,
            reasons,
            policy.thresholds(),
            heldOut.reportUri(run.model(), id));
    heldOut.reportUnscored(result, policy);
    return result;
  }
}
