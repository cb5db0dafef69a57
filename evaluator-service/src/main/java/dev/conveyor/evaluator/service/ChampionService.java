package dev.conveyor.evaluator.service;

import dev.conveyor.evaluator.config.EvaluatorConfig;
import dev.conveyor.evaluator.repository.EvaluationRepository;
import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelPromoted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.jboss.logging.Logger;

/**
 * Who the champion is: the registry when {@code conveyor.evaluator.registry-url} is set, otherwise
 * (or when the registry cannot be reached) the latest model-promoted this service consumed. The
 * BLEU it was promoted with is the registry's, or that of the evaluation that promoted it.
 */
@ApplicationScoped
public class ChampionService {
  private static final Logger LOG = Logger.getLogger(ChampionService.class);
  private final EvaluationRepository repository;
  private final RegistryClient registry;

  public ChampionService(EvaluationRepository repository, EvaluatorConfig config) {
    this.repository = repository;
    this.registry =
        config
            .registryUrl()
            .filter(u -> !u.isBlank())
            .map(
                u ->
                    RestClientBuilder.newBuilder()
                        .baseUri(URI.create(u))
                        .build(RegistryClient.class))
            .orElse(null);
  }

  /** The current champion of {@code model}, if it has one. */
  public Optional<Champion> champion(String model) {
    if (registry != null) {
      try {
        return fromRegistry(model);
      } catch (RuntimeException e) {
        LOG.warnf(
            "registry unreachable for the champion of %s (%s); using the last model-promoted seen",
            model, e.getMessage());
      }
    }
    return repository.champion(model).map(this::fromPromotion);
  }

  /** Records a promotion (or rollback) so the champion is known without the registry. */
  public void promoted(ModelPromoted promoted) {
    Optional<ModelPromoted> known = repository.champion(promoted.model());
    // redelivered or out-of-date events must not move the tracked champion backwards
    if (known.isPresent() && known.get().promotedAt().isAfter(promoted.promotedAt())) {
      return;
    }
    repository.saveChampion(promoted);
  }

  private Optional<Champion> fromRegistry(String model) {
    try (Response r = registry.champion(model)) {
      if (r.getStatus() == 404) {
        return Optional.empty();
      }
      if (r.getStatus() != 200) {
        throw new IllegalStateException("registry answered HTTP " + r.getStatus());
      }
      RegistryClient.Champion c = r.readEntity(RegistryClient.Champion.class);
      Optional<ModelEvaluated> eval = evaluation(model, c.evaluationId());
      Double bleu =
          c.bleu() != null ? c.bleu() : eval.map(ChampionService::candidateBleu).orElse(null);
      return Optional.of(
          new Champion(
              model,
              c.version(),
              c.runId(),
              c.artifact(),
              c.datasetDigest(),
              c.evaluationId(),
              bleu));
    }
  }

  private Champion fromPromotion(ModelPromoted p) {
    Optional<ModelEvaluated> eval = evaluation(p.model(), p.evaluationId());
    return new Champion(
        p.model(),
        p.version(),
        eval.map(e -> e.candidate() == null ? null : e.candidate().runId()).orElse(null),
        p.artifact(),
        p.datasetDigest(),
        p.evaluationId(),
        eval.map(ChampionService::candidateBleu).orElse(null));
  }

  private Optional<ModelEvaluated> evaluation(String model, String evaluationId) {
    return evaluationId == null ? Optional.empty() : repository.find(model, evaluationId);
  }

  private static Double candidateBleu(ModelEvaluated e) {
    return e.candidate() == null ? null : e.candidate().bleu();
  }

  /**
   * The champion as the evaluator needs it.
   *
   * @param promotedBleu the BLEU it was promoted with, null when unknown (e.g. a manual promotion)
   */
  public record Champion(
      String model,
      long version,
      String runId,
      ArtifactRef artifact,
      String datasetDigest,
      String evaluationId,
      Double promotedBleu) {}
}
