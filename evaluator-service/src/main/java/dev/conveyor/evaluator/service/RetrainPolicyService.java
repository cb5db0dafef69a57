package dev.conveyor.evaluator.service;

import dev.conveyor.evaluator.config.EvaluatorConfig;
import dev.conveyor.evaluator.config.GatePolicy;
import dev.conveyor.evaluator.messaging.EventPublisher;
import dev.conveyor.evaluator.repository.EvaluationRepository;
import dev.conveyor.evaluator.service.ChampionService.Champion;
import dev.conveyor.evaluator.service.ScoringService.Generated;
import dev.conveyor.evaluator.service.ScoringService.Scores;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelEvaluated.Kind;
import dev.conveyor.events.ModelEvaluated.Scored;
import dev.conveyor.events.ModelEvaluated.Verdict;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.storage.dataset.DatasetView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The daily retrain policy: when a dataset gets a new version, each model that learns from it has
 * its champion re-scored on the new test view; a model-evaluated of kind champion-check says how it
 * fared, and a train-requested follows when there is no champion, it is not proficient, it has
 * degraded, or enough new data arrived.
 */
@ApplicationScoped
public class RetrainPolicyService {
  private static final Logger LOG = Logger.getLogger(RetrainPolicyService.class);
  private final EvaluatorConfig config;
  private final HeldOutScoring heldOut;
  private final ChampionService champions;
  private final EvaluationRepository repository;
  private final EventPublisher publisher;

  public RetrainPolicyService(
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

  /** Models that learn from {@code dataset}. */
  public List<String> models(String dataset) {
    String listed = config.datasetModels().get(dataset);
    if (listed != null) {
      return Arrays.stream(listed.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    return config.defaultModel().map(List::of).orElse(List.of());
  }

  /** Applies the policy to every model of the dataset. Runs on the worker thread. */
  public void handle(CloudEvent<DataArrived> event) {
    DataArrived data = event.data();
    List<String> models = models(data.dataset());
    if (models.isEmpty()) {
      LOG.infof(
          "no model learns from dataset %s (conveyor.evaluator.dataset-models): v%d not checked",
          data.dataset(), data.version());
      return;
    }
    for (String model : models) {
      String marker = EvaluationRepository.datasetMarker(model, data.manifestDigest());
      Optional<String> done = repository.handled(marker);
      if (done.isPresent()) {
        LOG.infof(
            "%s v%d was already checked for %s (%s): duplicate ignored",
            data.dataset(), data.version(), model, done.get());
        continue;
      }
      String outcome = check(event, model);
      repository.markHandled(marker, outcome);
    }
  }

  private String check(CloudEvent<DataArrived> event, String model) {
    DataArrived data = event.data();
    GatePolicy policy = GatePolicy.of(config, model);
    Map<String, String> ext = new HashMap<>();
    ext.put(CloudEventAttributes.DATASET_DIGEST, data.manifestDigest());
    if (event.meta().traceparent() != null) {
      ext.put(CloudEventAttributes.TRACEPARENT, event.meta().traceparent());
    }
    Optional<Champion> champion = champions.champion(model);
    if (champion.isEmpty()) {
      TrainRequested request =
          request(model, data, BaseModel.scratch(), TrainRequested.Reason.NO_CHAMPION, policy);
      publisher.trainRequested(request, ext);
      LOG.infof("%s has no champion: requested %s from scratch", model, request.requestId());
      return request.requestId();
    }
    Champion c = champion.get();
    ext.put(CloudEventAttributes.MODEL_VERSION, model + ":" + c.version());
    String id =
        Ids.evaluation("champion-check", model, Long.toString(c.version()), data.manifestDigest());
    long started = System.currentTimeMillis();
    HeldOutScoring.Examples test = heldOut.examples(data.ref());
    List<String> reasons = new ArrayList<>();
    Scored unscored = new Scored(c.runId(), c.version(), c.artifact().digest(), 0.0, null);
    if (test.isEmpty()) {
      reasons.add(test.noExamplesReason());
      return publishFailed(id, model, data, policy, unscored, 0, reasons, ext);
    }
    Generated out;
    try {
      out = heldOut.generate(c.artifact(), test, policy);
    } catch (ArtifactRejectedException e) {
      reasons.add(
          "champion v"
              + c.version()
              + " "
              + e.getMessage()
              + "; it cannot be checked (roll back or promote by hand)");
      return publishFailed(id, model, data, policy, unscored, test.size(), reasons, ext);
    }
    Scores s = heldOut.score(test, null, out, policy);
    DatasetView view = test.view();
    long added = TestSet.trainAddedSince(view, c.datasetDigest());
    GateRules.Check check =
        GateRules.championCheck(
            policy,
            c.version(),
            s.champion().bleu(),
            c.promotedBleu(),
            added,
            TestSet.label(view, c.datasetDigest()),
            reasons);
    ModelEvaluated result =
        new ModelEvaluated(
            id,
            model,
            Kind.CHAMPION_CHECK,
            null,
            new Scored(
                c.runId(),
                c.version(),
                c.artifact().digest(),
                s.champion().bleu(),
                s.champion().interval()),
            data.ref(),
            test.size(),
            s.signature(),
            null,
            null,
            null,
            check.verdict(),
            reasons,
            policy.thresholds(),
            heldOut.reportUri(model, id));
    heldOut.report(result, test, null, out, s, policy, started);
    repository.save(result);
    publisher.evaluated(result, ext);
    String outcome = id;
    if (check.trainReason() != null) {
      TrainRequested request =
          request(
              model, data, BaseModel.of(c.version(), c.artifact()), check.trainReason(), policy);
      publisher.trainRequested(request, ext);
      outcome = id + " " + request.requestId();
    }
    LOG.infof(
        "champion check %s of %s v%d on %s v%d: %s %s",
        id, model, c.version(), data.dataset(), data.version(), result.verdict().wire(), reasons);
    return outcome;
  }

  private String publishFailed(
      String id,
      String model,
      DataArrived data,
      GatePolicy policy,
      Scored champion,
      long testExamples,
      List<String> reasons,
      Map<String, String> ext) {
    ModelEvaluated result =
        new ModelEvaluated(
            id,
            model,
            Kind.CHAMPION_CHECK,
            null,
            champion,
            data.ref(),
            testExamples,
            heldOut.signature(policy),
            null,
            null,
            null,
            Verdict.FAILED,
            reasons,
            policy.thresholds(),
            heldOut.reportUri(model, id));
    heldOut.reportUnscored(result, policy);
    repository.save(result);
    publisher.evaluated(result, ext);
    return id;
  }

  private static TrainRequested request(
      String model, DataArrived data, BaseModel base, TrainRequested.Reason reason, GatePolicy p) {
    return new TrainRequested(
        Ids.request(model, data.manifestDigest()),
        model,
        data.ref(),
        base,
        p.trainConfig(),
        reason,
        "evaluator-service");
  }
}
