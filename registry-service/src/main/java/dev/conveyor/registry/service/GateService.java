package dev.conveyor.registry.service;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.registry.repository.AliasMoveRepository;
import dev.conveyor.registry.repository.EvaluationEntity;
import dev.conveyor.registry.repository.EvaluationRepository;
import dev.conveyor.registry.repository.ModelRepository;
import dev.conveyor.registry.repository.ModelVersionEntity;
import dev.conveyor.registry.repository.ModelVersionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Applies the evaluator's verdicts: a passed candidate gate promotes its version when it is
 * registered, newer than the champion and was never rolled back; otherwise the evaluation records
 * why not, or waits ({@code pending}) for its run to be registered.
 */
@ApplicationScoped
public class GateService {
  private final Mutiny.SessionFactory sf;
  private final ModelRepository models;
  private final ModelVersionRepository versions;
  private final EvaluationRepository evaluations;
  private final AliasMoveRepository moves;
  private final AliasService aliases;
  private final OutboxService outbox;

  public GateService(
      Mutiny.SessionFactory sf,
      ModelRepository models,
      ModelVersionRepository versions,
      EvaluationRepository evaluations,
      AliasMoveRepository moves,
      AliasService aliases,
      OutboxService outbox) {
    this.sf = sf;
    this.models = models;
    this.versions = versions;
    this.evaluations = evaluations;
    this.moves = moves;
    this.aliases = aliases;
    this.outbox = outbox;
  }

  /**
   * model-evaluated: recorded once per evaluation id (a duplicate or replay changes nothing). A
   * passed candidate gate promotes its version when it is registered and newer than the champion;
   * if its run is not registered yet, the evaluation waits for it.
   */
  public Uni<Void> onModelEvaluated(CloudEvent<ModelEvaluated> event) {
    ModelEvaluated m = event.data();
    return sf.withTransaction(
            s ->
                models
                    .lock(s, m.model())
                    .chain(
                        () ->
                            Once.unlessFound(
                                evaluations.find(s, m.evaluationId()),
                                () -> {
                                  EvaluationEntity e = EvaluationEntity.of(event);
                                  return s.persist(e).chain(() -> decide(s, m, e));
                                })))
        .invoke(outbox::trigger);
  }

  private Uni<Void> decide(Mutiny.Session s, ModelEvaluated m, EvaluationEntity e) {
    if (m.kind() != ModelEvaluated.Kind.CANDIDATE) {
      e.decide(EvaluationEntity.RECORDED, "champion check: recorded in lineage");
      return Uni.createFrom().voidItem();
    }
    if (!m.passed()) {
      e.decide(EvaluationEntity.RECORDED, "gate failed: nothing to promote");
      return Uni.createFrom().voidItem();
    }
    Uni<ModelVersionEntity> version;
    if (e.candidateRunId != null) {
      version = versions.byRun(s, e.candidateRunId);
    } else if (e.candidateVersion != null) {
      version = versions.find(s, m.model(), e.candidateVersion);
    } else {
      e.decide(EvaluationEntity.NOT_PROMOTED, "the candidate names neither a run nor a version");
      return Uni.createFrom().voidItem();
    }
    return version.chain(
        v -> {
          if (v == null) {
            e.decide(
                EvaluationEntity.PENDING,
                "waiting for model-trained of run " + e.candidateRunId + " to be registered");
            return Uni.createFrom().voidItem();
          }
          return gate(s, v, e);
        });
  }

  /**
   * Evaluations that arrived before this version registered: promote now if they still should. Runs
   * in the caller's transaction, which holds the model's lock.
   */
  public Uni<Void> applyPending(Mutiny.Session s, ModelVersionEntity v) {
    return evaluations
        .pendingFor(s, v.model, v.runId)
        .chain(
            pending -> {
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (EvaluationEntity e : pending) {
                chain = chain.chain(() -> gate(s, v, e));
              }
              return chain;
            });
  }

  /** Evaluations waiting for a run that will never register: not promoted, with the reason. */
  public Uni<Void> settlePending(Mutiny.Session s, String model, String runId, String reason) {
    return evaluations
        .pendingFor(s, model, runId)
        .invoke(pending -> pending.forEach(e -> e.decide(EvaluationEntity.NOT_PROMOTED, reason)))
        .replaceWithVoid();
  }

  /** Promotes {@code v} for the passed evaluation {@code e} if it is promotable and newer. */
  private Uni<Void> gate(Mutiny.Session s, ModelVersionEntity v, EvaluationEntity e) {
    e.candidateVersion = v.version;
    e.candidateRunId = e.candidateRunId == null ? v.runId : e.candidateRunId;
    if (ModelVersionEntity.PENDING.equals(v.status)) {
      e.decide(
          EvaluationEntity.PENDING, "waiting for v" + v.version + "'s artifact to be verified");
      return Uni.createFrom().voidItem();
    }
    if (!v.promotable()) {
      e.decide(
          EvaluationEntity.NOT_PROMOTED,
          "v"
              + v.version
              + " is "
              + v.status
              + (v.statusReason == null ? "" : ": " + v.statusReason));
      return Uni.createFrom().voidItem();
    }
    return moves
        .rolledBackFrom(s, v.model, v.version)
        .chain(
            rolledBack -> {
              if (rolledBack) {
                e.decide(
                    EvaluationEntity.NOT_PROMOTED,
                    "v" + v.version + " was rolled back; only an admin can promote it again");
                return Uni.createFrom().voidItem();
              }
              return aliases
                  .promote(
                      s,
                      v,
                      AliasService.Cause.gate(
                          e.evaluationId, "gate: " + String.join("; ", e.reasons.split("\n"))),
                      current ->
                          current != null && v.version <= current.toVersion
                              ? "v"
                                  + v.version
                                  + " is not newer than the champion v"
                                  + current.toVersion
                              : null)
                  .invoke(
                      o ->
                          e.decide(
                              o.moved() ? EvaluationEntity.PROMOTED : EvaluationEntity.NOT_PROMOTED,
                              o.moved()
                                  ? "gate passed; v" + v.version + " is the new champion"
                                  : o.refusal()))
                  .replaceWithVoid();
            });
  }
}
