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
import dev.conveyor.model.LanguageModel;
import dev.conveyor.storage.dataset.DatasetRecord;
import dev.conveyor.storage.dataset.DatasetView;
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
  private final TestSet testSet;
  private final ArtifactLoader loader;
  private final ChampionService champions;
  private final ScoringService scoring;
  private final ReportWriter reports;
  private final EvaluationRepository repository;
  private final EventPublisher publisher;

  public GateService(
      EvaluatorConfig config,
      TestSet testSet,
      ArtifactLoader loader,
      ChampionService champions,
      ScoringService scoring,
      ReportWriter reports,
      EvaluationRepository repository,
      EventPublisher publisher) {
    this.config = config;
    this.testSet = testSet;
    this.loader = loader;
    this.champions = champions;
    this.scoring = scoring;
    this.reports = reports;
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
    String plainSignature = scoring.signature(policy);

    List<DatasetRecord> test;
    try {
      DatasetView view = testSet.view(run.dataset());
      test = TestSet.qaTest(view);
    } catch (RuntimeException e) {
      reasons.add(
          "the test split of dataset "
              + run.dataset().name()
              + " v"
              + run.dataset().version()
              + " cannot be read: "
              + e.getMessage()
              + "; candidate not scored");
      return failed(id, run, policy, unscored, null, 0, plainSignature, reasons);
    }
    if (test.isEmpty()) {
      reasons.add(
          "dataset "
              + run.dataset().name()
              + " v"
              + run.dataset().version()
              + " has no prompt/completion test examples; candidate not scored");
      return failed(id, run, policy, unscored, null, 0, plainSignature, reasons);
    }
    List<String> prompts = test.stream().map(DatasetRecord::prompt).toList();
    List<String> refs = test.stream().map(DatasetRecord::completion).toList();
    Optional<Champion> champion = champions.champion(run.model());

    Generated cand;
    try (LanguageModel model = loader.load(run.artifact())) {
      cand = scoring.generate(model, prompts, policy.batchSize(), policy.maxNewTokens());
    } catch (ArtifactRejectedException e) {
      reasons.add("candidate " + e.getMessage() + "; candidate not scored");
      return failed(id, run, policy, unscored, null, test.size(), plainSignature, reasons);
    }
    Generated champ = null;
    String championProblem = null;
    if (champion.isPresent()) {
      try (LanguageModel model = loader.load(champion.get().artifact())) {
        champ = scoring.generate(model, prompts, policy.batchSize(), policy.maxNewTokens());
      } catch (ArtifactRejectedException e) {
        championProblem =
            "champion v"
                + champion.get().version()
                + " "
                + e.getMessage()
                + "; the candidate cannot be compared with it (roll back or promote by hand)";
      }
    }
    Scores s =
        scoring.score(
            refs,
            cand.outputs(),
            champ == null ? null : champ.outputs(),
            policy.bootstrapSamples(),
            policy.seed());
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
            // the bleu module's paired bootstrap reports each system's interval, not the
            // difference's
            null,
            verdict,
            reasons,
            policy.thresholds(),
            reports.uri(run.model(), id));
    List<ReportWriter.Example> rows = new ArrayList<>(test.size());
    for (int i = 0; i < test.size(); i++) {
      DatasetRecord r = test.get(i);
      rows.add(
          new ReportWriter.Example(
              r.id(),
              r.prompt(),
              r.completion(),
              cand.outputs().get(i),
              s.candidateSentences().get(i),
              champ == null ? null : champ.outputs().get(i),
              champ == null ? null : s.championSentences().get(i)));
    }
    long generation = cand.millis() + (champ == null ? 0 : champ.millis());
    reports.write(
        result,
        rows,
        new ReportWriter.Timings(generation, s.millis(), System.currentTimeMillis() - started));
    return result;
  }

  private ModelEvaluated failed(
      String id,
      ModelTrained run,
      GatePolicy policy,
      Scored candidate,
      Scored champion,
      long testExamples,
      String signature,
      List<String> reasons) {
    ModelEvaluated result =
        new ModelEvaluated(
            id,
            run.model(),
            Kind.CANDIDATE,
            candidate,
            champion,
            run.dataset(),
            testExamples,
            signature,
            null,
            null,
            null,
            Verdict.FAILED,
            reasons,
            policy.thresholds(),
            reports.uri(run.model(), id));
    reports.write(result, List.of(), new ReportWriter.Timings(0, 0, 0));
    return result;
  }
}
