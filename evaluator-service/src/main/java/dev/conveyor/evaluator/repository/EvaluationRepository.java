package dev.conveyor.evaluator.repository;

import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The evaluator's own state, in the bucket (no database is provisioned for it): published
 * evaluations, the champion as the last model-promoted said, and the markers that make redelivered
 * events publish nothing new. Layout under {@code evaluations/}:
 *
 * <ul>
 *   <li>{@code <model>/<evaluation-id>.json}: every published model-evaluated
 *   <li>{@code <model>/champion.json}: the latest model-promoted of the model
 *   <li>{@code _handled/model-trained/<run-id>}: the evaluation published for that run
 *   <li>{@code _handled/data-arrived/<model>/<manifest-sha256-hex>}: what the policy published
 * </ul>
 */
@ApplicationScoped
public class EvaluationRepository {
  static final String ROOT = "evaluations/";
  private final ObjectStore store;

  public EvaluationRepository(ObjectStore store) {
    this.store = store;
  }

  /** Stores a published (or about to be published) evaluation. */
  public void save(ModelEvaluated evaluation) {
    store.put(
        evaluationKey(evaluation.model(), evaluation.evaluationId()),
        EventCodec.encodeBytes(evaluation),
        "application/json");
  }

  /** An evaluation this service published. */
  public Optional<ModelEvaluated> find(String model, String evaluationId) {
    String key = evaluationKey(model, evaluationId);
    if (!safe(evaluationId) || !store.exists(key)) {
      return Optional.empty();
    }
    return Optional.of(EventCodec.decode(EventTypes.MODEL_EVALUATED, text(key)));
  }

  /** Remembers the champion a model-promoted announced. */
  public void saveChampion(ModelPromoted promoted) {
    store.put(championKey(promoted.model()), EventCodec.encodeBytes(promoted), "application/json");
  }

  /** The latest model-promoted seen for {@code model}. */
  public Optional<ModelPromoted> champion(String model) {
    String key = championKey(model);
    if (!store.exists(key)) {
      return Optional.empty();
    }
    return Optional.of(EventCodec.decode(EventTypes.MODEL_PROMOTED, text(key)));
  }

  /** What was published for a natural key, if it was handled. */
  public Optional<String> handled(String markerKey) {
    String key = ROOT + "_handled/" + markerKey;
    return store.exists(key) ? Optional.of(text(key)) : Optional.empty();
  }

  /** Marks a natural key as handled once its results are published. */
  public void markHandled(String markerKey, String outcome) {
    store.put(
        ROOT + "_handled/" + markerKey, outcome.getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  /** Marker key of a model-trained run. */
  public static String runMarker(String runId) {
    return "model-trained/" + sanitize(runId);
  }

  /** Marker key of a dataset version checked for one model. */
  public static String datasetMarker(String model, String manifestDigest) {
    return "data-arrived/"
        + sanitize(model)
        + "/"
        + sanitize(manifestDigest.replace("sha256:", ""));
  }

  private String text(String key) {
    return new String(store.get(key), StandardCharsets.UTF_8);
  }

  private static String evaluationKey(String model, String evaluationId) {
    return ROOT + sanitize(model) + "/" + sanitize(evaluationId) + ".json";
  }

  private static String championKey(String model) {
    return ROOT + sanitize(model) + "/champion.json";
  }

  private static boolean safe(String s) {
    return s != null && s.matches("[A-Za-z0-9._:-]{1,200}");
  }

  // keys come from event fields; anything outside a conservative alphabet is replaced
  static String sanitize(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
