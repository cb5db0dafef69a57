package dev.conveyor.registry.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.RollbackRequested;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.events.TrainingProgress;
import dev.conveyor.registry.store.AliasMoveEntity;
import dev.conveyor.registry.store.DatasetVersionEntity;
import dev.conveyor.registry.store.EvaluationEntity;
import dev.conveyor.registry.store.ModelVersionEntity;
import dev.conveyor.registry.store.OutboxEntity;
import dev.conveyor.registry.store.RegisteredModel;
import dev.conveyor.registry.store.RollbackRequestEntity;
import dev.conveyor.registry.store.RunEntity;
import dev.conveyor.registry.store.TrainRequestEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * The registry's write side: every consumed event and admin action becomes rows in one transaction
 * per change, serialised per model by a row lock on {@code registered_model}. Alias moves are
 * appended (never updated) together with their {@code model-promoted} outbox row.
 */
@ApplicationScoped
public class Registry {
  public static final String CHAMPION = "champion";
  public static final String ACTOR = "registry-service";
  private static final Logger LOG = Logger.getLogger(Registry.class);

  private final Mutiny.SessionFactory sf;
  private final ArtifactCopier copier;
  private final OutboxRelay relay;
  private final Vertx vertx;

  public Registry(Mutiny.SessionFactory sf, ArtifactCopier copier, OutboxRelay relay, Vertx vertx) {
    this.sf = sf;
    this.copier = copier;
    this.relay = relay;
    this.vertx = vertx;
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  // ---------------------------------------------------------------- consumed events

  /** data-arrived: records the dataset version (once). */
  public Uni<Void> onDataArrived(CloudEvent<DataArrived> event) {
    DataArrived d = event.data();
    return sf.withTransaction(
        s ->
            firstTime(s, Topics.DATA_ARRIVED, event.meta().id())
                .chain(
                    first ->
                        !first
                            ? Uni.createFrom().voidItem()
                            : s.createSelectionQuery(
                                    "from DatasetVersionEntity where dataset = :d and version = :v",
                                    DatasetVersionEntity.class)
                                .setParameter("d", d.dataset())
                                .setParameter("v", d.version())
                                .getSingleResultOrNull()
                                .chain(
                                    existing -> {
                                      if (existing != null) {
                                        return Uni.createFrom().voidItem();
                                      }
                                      DatasetVersionEntity e = new DatasetVersionEntity();
                                      e.dataset = d.dataset();
                                      e.version = d.version();
                                      e.manifestUri = d.manifestUri();
                                      e.manifestDigest = d.manifestDigest();
                                      e.trainCount = d.counts() == null ? 0 : d.counts().train();
                                      e.testCount = d.counts() == null ? 0 : d.counts().test();
                                      e.quarantinedCount =
                                          d.counts() == null ? 0 : d.counts().quarantined();
                                      e.parentVersion = d.parentVersion();
                                      e.source = d.source();
                                      e.createdAt = truncate(d.createdAt());
                                      e.receivedAt = now();
                                      e.eventId = event.meta().id();
                                      return s.persist(e);
                                    })));
  }

  /** train-requested: records the request (once). */
  public Uni<Void> onTrainRequested(CloudEvent<TrainRequested> event) {
    TrainRequested r = event.data();
    return sf.withTransaction(
        s ->
            ensureModel(s, r.model())
                .chain(() -> s.find(TrainRequestEntity.class, r.requestId()))
                .chain(
                    existing -> {
                      if (existing != null) {
                        return Uni.createFrom().voidItem();
                      }
                      TrainRequestEntity e = new TrainRequestEntity();
                      e.requestId = r.requestId();
                      e.model = r.model();
                      e.datasetName = r.dataset().name();
                      e.datasetVersion = r.dataset().version();
                      e.datasetDigest = r.dataset().digest();
                      e.baseKind = r.baseModel().kind().wire();
                      e.baseVersion = r.baseModel().version();
                      e.configJson = json(r.config());
                      e.reason = r.reason().wire();
                      e.requestedBy = r.requestedBy();
                      e.requestedAt =
                          event.meta().time() == null ? now() : truncate(event.meta().time());
                      e.eventId = event.meta().id();
                      return s.persist(e);
                    }));
  }

  /** training-progress: one point of a run's loss curve (a repeated step is ignored). */
  public Uni<Void> onTrainingProgress(CloudEvent<TrainingProgress> event) {
    TrainingProgress p = event.data();
    return sf.withTransaction(
        s ->
            s.createNativeQuery(
                    "INSERT INTO progress_point (run_id, model, step, total_steps, loss,"
                        + " tokens_per_second, received_at) VALUES (:run, :model, :step, :total,"
                        + " :loss, :tps, :at) ON CONFLICT (run_id, step) DO NOTHING")
                .setParameter("run", p.runId())
                .setParameter("model", p.model())
                .setParameter("step", p.step())
                .setParameter("total", p.totalSteps())
                .setParameter("loss", p.loss())
                .setParameter("tps", p.tokensPerSecond())
                .setParameter("at", now())
                .executeUpdate()
                .replaceWithVoid());
  }

  /** What the first transaction of a model-trained left to do. */
  private record Registration(ModelVersionEntity pending, ArtifactRef artifact) {}

  /**
   * model-trained: records the run; for a succeeded run allocates the next version number, copies
   * the artifact to {@code models/<name>/<version>/}, verifies it and registers or rejects the
   * version, then applies evaluations that were waiting for it. Replays find the run and stop; a
   * crash between the steps leaves the version {@code pending} and the replay finishes it.
   */
  public Uni<Void> onModelTrained(CloudEvent<ModelTrained> event) {
    ModelTrained t = event.data();
    Uni<Registration> prepared =
        sf.withTransaction(
            s ->
                lockModel(s, t.model())
                    .chain(() -> s.find(RunEntity.class, t.runId()))
                    .chain(run -> run == null ? recordRun(s, event) : resume(s, run, t)));
    return prepared
        .chain(
            reg -> {
              if (reg == null) {
                return Uni.createFrom().voidItem();
              }
              ModelVersionEntity v = reg.pending();
              // an unreachable store is retried; if it stays down the record is dead-lettered
              // and the version stays pending until the event is replayed
              return blocking(
                      () -> copier.copyAndVerify(v.runId, reg.artifact(), v.model, v.version))
                  .onFailure(ArtifactCopier::transientFailure)
                  .retry()
                  .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5))
                  .atMost(5)
                  .chain(result -> completeRegistration(v.model, v.version, result));
            })
        .invoke(relay::trigger);
  }

  private Uni<Registration> recordRun(Mutiny.Session s, CloudEvent<ModelTrained> event) {
    ModelTrained t = event.data();
    RunEntity r = new RunEntity();
    r.runId = t.runId();
    r.requestId = t.requestId();
    r.model = t.model();
    r.datasetName = t.dataset().name();
    r.datasetVersion = t.dataset().version();
    r.datasetDigest = t.dataset().digest();
    r.baseKind = t.baseModel().kind().wire();
    r.baseVersion = t.baseModel().version();
    r.configHash = t.configHash();
    r.status = t.outcome().status().wire();
    r.failureReason = t.outcome().reason();
    if (t.artifact() != null) {
      r.artifactUri = t.artifact().uri();
      r.artifactDigest = t.artifact().digest();
      r.artifactSize = t.artifact().sizeBytes();
    }
    if (t.metrics() != null) {
      r.finalLoss = t.metrics().finalLoss();
      r.steps = t.metrics().steps();
      r.tokensPerSecond = t.metrics().tokensPerSecond();
      r.durationMillis = t.metrics().durationMillis();
    }
    r.finishedAt = event.meta().time() == null ? now() : truncate(event.meta().time());
    r.eventId = event.meta().id();
    if (!t.succeeded()) {
      return s.persist(r)
          .chain(
              () ->
                  settlePending(
                      s,
                      t.model(),
                      t.runId(),
                      "run " + t.runId() + " failed: " + t.outcome().reason()))
          .replaceWith((Registration) null);
    }
    return s.persist(r)
        .chain(
            () ->
                s.createSelectionQuery(
                        "select coalesce(max(version), 0) from ModelVersionEntity where model = :m",
                        Long.class)
                    .setParameter("m", t.model())
                    .getSingleResult())
        .chain(
            max -> {
              ModelVersionEntity v = new ModelVersionEntity();
              v.model = t.model();
              v.version = max + 1;
              v.runId = t.runId();
              v.status = ModelVersionEntity.PENDING;
              v.statusReason = "copying and verifying the artifact";
              v.sourceUri = t.artifact().uri();
              v.artifactUri = copier.targetUri(t.runId(), t.artifact(), t.model(), v.version);
              v.artifactDigest = t.artifact().digest();
              v.artifactSize = t.artifact().sizeBytes();
              v.datasetName = t.dataset().name();
              v.datasetVersion = t.dataset().version();
              v.datasetDigest = t.dataset().digest();
              v.createdAt = now();
              v.updatedAt = v.createdAt;
              return s.persist(v).replaceWith(new Registration(v, t.artifact()));
            });
  }

  private Uni<Registration> resume(Mutiny.Session s, RunEntity run, ModelTrained t) {
    if (!"succeeded".equals(run.status)) {
      return Uni.createFrom().nullItem();
    }
    return versionByRun(s, run.runId)
        .map(
            v ->
                v != null && ModelVersionEntity.PENDING.equals(v.status)
                    ? new Registration(
                        v, new ArtifactRef(run.artifactUri, run.artifactDigest, run.artifactSize))
                    : null);
  }

  private Uni<Void> completeRegistration(String model, long version, ArtifactCopier.Result result) {
    return sf.withTransaction(
        s ->
            lockModel(s, model)
                .chain(() -> versionOf(s, model, version))
                .chain(
                    v -> {
                      if (v == null || !ModelVersionEntity.PENDING.equals(v.status)) {
                        return Uni.createFrom().voidItem();
                      }
                      v.updatedAt = now();
                      if (result.verified()) {
                        v.status = ModelVersionEntity.REGISTERED;
                        v.statusReason = null;
                        LOG.infof("registered %s:%d from run %s", model, version, v.runId);
                        return applyPending(s, v);
                      }
                      v.status = ModelVersionEntity.REJECTED;
                      v.statusReason = result.reason();
                      LOG.warnf("rejected %s:%d: %s", model, version, result.reason());
                      return settlePending(
                          s, model, v.runId, "v" + version + " was rejected: " + result.reason());
                    }));
  }

  /** Evaluations that arrived before their run registered: promote now if they still should. */
  private Uni<Void> applyPending(Mutiny.Session s, ModelVersionEntity v) {
    return pendingFor(s, v.model, v.runId)
        .chain(
            evals -> {
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (EvaluationEntity e : evals) {
                chain = chain.chain(() -> gate(s, v, e));
              }
              return chain;
            });
  }

  private Uni<Void> settlePending(Mutiny.Session s, String model, String runId, String reason) {
    return pendingFor(s, model, runId)
        .invoke(
            evals ->
                evals.forEach(
                    e -> {
                      e.decision = EvaluationEntity.NOT_PROMOTED;
                      e.decisionReason = reason;
                    }))
        .replaceWithVoid();
  }

  private Uni<List<EvaluationEntity>> pendingFor(Mutiny.Session s, String model, String runId) {
    return s.createSelectionQuery(
            "from EvaluationEntity where model = :m and candidateRunId = :r and decision = :d"
                + " order by receivedAt",
            EvaluationEntity.class)
        .setParameter("m", model)
        .setParameter("r", runId)
        .setParameter("d", EvaluationEntity.PENDING)
        .getResultList();
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
                lockModel(s, m.model())
                    .chain(() -> s.find(EvaluationEntity.class, m.evaluationId()))
                    .chain(
                        existing -> {
                          if (existing != null) {
                            LOG.debugf("evaluation %s already recorded", m.evaluationId());
                            return Uni.createFrom().voidItem();
                          }
                          EvaluationEntity e = evaluation(event);
                          return s.persist(e).chain(() -> decide(s, m, e));
                        }))
        .invoke(relay::trigger);
  }

  private Uni<Void> decide(Mutiny.Session s, ModelEvaluated m, EvaluationEntity e) {
    if (m.kind() != ModelEvaluated.Kind.CANDIDATE) {
      e.decision = EvaluationEntity.RECORDED;
      e.decisionReason = "champion check: recorded in lineage";
      return Uni.createFrom().voidItem();
    }
    if (!m.passed()) {
      e.decision = EvaluationEntity.RECORDED;
      e.decisionReason = "gate failed: nothing to promote";
      return Uni.createFrom().voidItem();
    }
    Uni<ModelVersionEntity> version;
    if (e.candidateRunId != null) {
      version = versionByRun(s, e.candidateRunId);
    } else if (e.candidateVersion != null) {
      version = versionOf(s, m.model(), e.candidateVersion);
    } else {
      e.decision = EvaluationEntity.NOT_PROMOTED;
      e.decisionReason = "the candidate names neither a run nor a version";
      return Uni.createFrom().voidItem();
    }
    return version.chain(
        v -> {
          if (v == null) {
            e.decision = EvaluationEntity.PENDING;
            e.decisionReason =
                "waiting for model-trained of run " + e.candidateRunId + " to be registered";
            return Uni.createFrom().voidItem();
          }
          return gate(s, v, e);
        });
  }

  /** Promotes {@code v} for the passed evaluation {@code e} if it is promotable and newer. */
  private Uni<Void> gate(Mutiny.Session s, ModelVersionEntity v, EvaluationEntity e) {
    e.candidateVersion = v.version;
    e.candidateRunId = e.candidateRunId == null ? v.runId : e.candidateRunId;
    if (ModelVersionEntity.PENDING.equals(v.status)) {
      e.decision = EvaluationEntity.PENDING;
      e.decisionReason = "waiting for v" + v.version + "'s artifact to be verified";
      return Uni.createFrom().voidItem();
    }
    if (!v.promotable()) {
      e.decision = EvaluationEntity.NOT_PROMOTED;
      e.decisionReason =
          "v"
              + v.version
              + " is "
              + v.status
              + (v.statusReason == null ? "" : ": " + v.statusReason);
      return Uni.createFrom().voidItem();
    }
    return rolledBackFrom(s, v)
        .chain(
            rolledBack -> {
              if (rolledBack) {
                e.decision = EvaluationEntity.NOT_PROMOTED;
                e.decisionReason =
                    "v" + v.version + " was rolled back; only an admin can promote it again";
                return Uni.createFrom().voidItem();
              }
              return gateAgainstChampion(s, v, e);
            });
  }

  private static Uni<Boolean> rolledBackFrom(Mutiny.Session s, ModelVersionEntity v) {
    return s.createSelectionQuery(
            "select count(*) from AliasMoveEntity where model = :m and alias = :a and reason = :r"
                + " and fromVersion = :v",
            Long.class)
        .setParameter("m", v.model)
        .setParameter("a", CHAMPION)
        .setParameter("r", ModelPromoted.Reason.ROLLBACK.wire())
        .setParameter("v", v.version)
        .getSingleResult()
        .map(n -> n > 0);
  }

  private Uni<Void> gateAgainstChampion(
      Mutiny.Session s, ModelVersionEntity v, EvaluationEntity e) {
    return champion(s, v.model)
        .chain(
            current -> {
              if (current != null && v.version <= current.toVersion) {
                e.decision = EvaluationEntity.NOT_PROMOTED;
                e.decisionReason =
                    "v" + v.version + " is not newer than the champion v" + current.toVersion;
                return Uni.createFrom().voidItem();
              }
              e.decision = EvaluationEntity.PROMOTED;
              e.decisionReason = "gate passed; v" + v.version + " is the new champion";
              return move(
                      s,
                      current,
                      v,
                      ModelPromoted.Reason.GATE,
                      ACTOR,
                      e.evaluationId,
                      null,
                      "gate: " + String.join("; ", e.reasons.split("\n")))
                  .replaceWithVoid();
            });
  }

  /**
   * rollback-requested: moves the champion back to the one before it, once per request id, and only
   * while the champion is still the version the request is about.
   */
  public Uni<Void> onRollbackRequested(CloudEvent<RollbackRequested> event) {
    RollbackRequested r = event.data();
    return sf.withTransaction(
            s ->
                lockModel(s, r.model())
                    .chain(() -> s.find(RollbackRequestEntity.class, r.requestId()))
                    .chain(
                        existing -> {
                          if (existing != null) {
                            return Uni.createFrom().voidItem();
                          }
                          RollbackRequestEntity e = new RollbackRequestEntity();
                          e.requestId = r.requestId();
                          e.model = r.model();
                          e.fromVersion = r.fromVersion();
                          e.reason = r.reason();
                          e.evidenceJson = json(r.evidence());
                          e.requestedBy = r.requestedBy();
                          e.receivedAt = now();
                          e.eventId = event.meta().id();
                          return rollbackPlan(s, r.model())
                              .chain(
                                  plan -> {
                                    if (plan.current() == null) {
                                      return refuse(s, e, r.model() + " has no champion");
                                    }
                                    if (plan.current().toVersion != r.fromVersion()) {
                                      return refuse(
                                          s,
                                          e,
                                          "the champion is v"
                                              + plan.current().toVersion
                                              + ", not v"
                                              + r.fromVersion()
                                              + " (stale request)");
                                    }
                                    if (plan.target() == null) {
                                      return refuse(s, e, "no previous champion to roll back to");
                                    }
                                    e.outcome = RollbackRequestEntity.ROLLED_BACK;
                                    e.outcomeReason =
                                        "champion moved back to v" + plan.target().version;
                                    return s.persist(e)
                                        .chain(
                                            () ->
                                                move(
                                                    s,
                                                    plan.current(),
                                                    plan.target(),
                                                    ModelPromoted.Reason.ROLLBACK,
                                                    r.requestedBy(),
                                                    null,
                                                    r.requestId(),
                                                    r.reason()))
                                        .replaceWithVoid();
                                  });
                        }))
        .invoke(relay::trigger);
  }

  private Uni<Void> refuse(Mutiny.Session s, RollbackRequestEntity e, String why) {
    e.outcome = RollbackRequestEntity.REFUSED;
    e.outcomeReason = why;
    LOG.warnf("rollback %s of %s refused: %s", e.requestId, e.model, why);
    return s.persist(e);
  }

  // ---------------------------------------------------------------- admin actions

  /** Makes {@code version} the champion by hand (reason {@code manual}). */
  public Uni<Views.AliasMove> promote(String model, long version, String actor, String note) {
    return sf.withTransaction(
            s ->
                existingModel(s, model)
                    .chain(() -> versionOf(s, model, version))
                    .chain(
                        v -> {
                          if (v == null) {
                            throw Problem.notFound(model + " has no version " + version);
                          }
                          if (!v.promotable()) {
                            throw Problem.conflict(
                                model
                                    + ":"
                                    + version
                                    + " is "
                                    + v.status
                                    + " and cannot be promoted"
                                    + (v.statusReason == null ? "" : " (" + v.statusReason + ")"));
                          }
                          return champion(s, model)
                              .chain(
                                  current -> {
                                    if (current != null && current.toVersion == version) {
                                      throw Problem.conflict(
                                          model + ":" + version + " is already the champion");
                                    }
                                    return move(
                                        s,
                                        current,
                                        v,
                                        ModelPromoted.Reason.MANUAL,
                                        actor,
                                        null,
                                        null,
                                        note);
                                  });
                        }))
        .map(Views.AliasMove::of)
        .invoke(relay::trigger);
  }

  /** Moves the champion back to the one before it (reason {@code rollback}). */
  public Uni<Views.AliasMove> rollback(String model, String actor, String note) {
    return sf.withTransaction(
            s ->
                existingModel(s, model)
                    .chain(() -> rollbackPlan(s, model))
                    .chain(
                        plan -> {
                          if (plan.current() == null) {
                            throw Problem.conflict(model + " has no champion to roll back");
                          }
                          if (plan.target() == null) {
                            throw Problem.conflict(
                                model
                                    + ":"
                                    + plan.current().toVersion
                                    + " has no earlier champion to roll back to");
                          }
                          return move(
                              s,
                              plan.current(),
                              plan.target(),
                              ModelPromoted.Reason.ROLLBACK,
                              actor,
                              null,
                              null,
                              note);
                        }))
        .map(Views.AliasMove::of)
        .invoke(relay::trigger);
  }

  /** Archives a version: it stays readable but can never be promoted again. */
  public Uni<Views.Version> archive(String model, long version, String actor) {
    return sf.withTransaction(
        s ->
            existingModel(s, model)
                .chain(() -> versionOf(s, model, version))
                .chain(
                    v -> {
                      if (v == null) {
                        throw Problem.notFound(model + " has no version " + version);
                      }
                      return champion(s, model)
                          .map(
                              current -> {
                                Long champ = current == null ? null : current.toVersion;
                                if (champ != null && champ == version) {
                                  throw Problem.conflict(
                                      model
                                          + ":"
                                          + version
                                          + " is the champion; promote another version or roll"
                                          + " back first");
                                }
                                if (ModelVersionEntity.PENDING.equals(v.status)) {
                                  throw Problem.conflict(
                                      model + ":" + version + " is still being verified");
                                }
                                if (!ModelVersionEntity.ARCHIVED.equals(v.status)) {
                                  v.statusReason =
                                      "archived by "
                                          + actor
                                          + (ModelVersionEntity.REJECTED.equals(v.status)
                                              ? " (was rejected: " + v.statusReason + ")"
                                              : "");
                                  v.status = ModelVersionEntity.ARCHIVED;
                                  v.updatedAt = now();
                                }
                                return Views.Version.of(v, champ);
                              });
                    }));
  }

  // ---------------------------------------------------------------- alias history

  /** The champion now and the one a rollback would return to. */
  record RollbackPlan(AliasMoveEntity current, ModelVersionEntity target) {}

  /**
   * Replays the alias history as a stack: a promotion pushes its target, a rollback pops back to
   * its target. The rollback target is the nearest version below the top that is still promotable.
   */
  private Uni<RollbackPlan> rollbackPlan(Mutiny.Session s, String model) {
    return history(s, model)
        .chain(
            moves -> {
              if (moves.isEmpty()) {
                return Uni.createFrom().item(new RollbackPlan(null, null));
              }
              List<Long> stack = replay(moves);
              AliasMoveEntity current = moves.get(moves.size() - 1);
              return versions(s, model)
                  .map(
                      all -> {
                        Map<Long, ModelVersionEntity> byNumber = new HashMap<>();
                        all.forEach(v -> byNumber.put(v.version, v));
                        for (int i = stack.size() - 2; i >= 0; i--) {
                          ModelVersionEntity candidate = byNumber.get(stack.get(i));
                          if (candidate != null
                              && candidate.promotable()
                              && candidate.version != current.toVersion) {
                            return new RollbackPlan(current, candidate);
                          }
                        }
                        return new RollbackPlan(current, null);
                      });
            });
  }

  /** The champion stack after every move, bottom first. */
  static List<Long> replay(List<AliasMoveEntity> moves) {
    List<Long> stack = new ArrayList<>();
    for (AliasMoveEntity m : moves) {
      if (ModelPromoted.Reason.ROLLBACK.wire().equals(m.reason)) {
        while (!stack.isEmpty() && stack.get(stack.size() - 1) != m.toVersion) {
          stack.remove(stack.size() - 1);
        }
        if (stack.isEmpty()) {
          stack.add(m.toVersion);
        }
      } else {
        stack.add(m.toVersion);
      }
    }
    return stack;
  }

  /** Appends an alias move and its model-promoted event to the outbox, in the caller's tx. */
  private Uni<AliasMoveEntity> move(
      Mutiny.Session s,
      AliasMoveEntity current,
      ModelVersionEntity to,
      ModelPromoted.Reason reason,
      String actor,
      String evaluationId,
      String rollbackRequest,
      String note) {
    Instant at = now();
    String eventId = UUID.randomUUID().toString();
    AliasMoveEntity m = new AliasMoveEntity();
    m.model = to.model;
    m.alias = CHAMPION;
    m.fromVersion = current == null ? null : current.toVersion;
    m.toVersion = to.version;
    m.reason = reason.wire();
    m.actor = actor;
    m.evaluationId = evaluationId;
    m.rollbackRequest = rollbackRequest;
    m.note = note == null ? null : note.length() > 4000 ? note.substring(0, 4000) : note;
    m.movedAt = at;
    m.eventId = eventId;
    ModelPromoted data =
        new ModelPromoted(
            to.model,
            to.version,
            m.fromVersion,
            reason,
            actor,
            at,
            new ArtifactRef(to.artifactUri, to.artifactDigest, to.artifactSize),
            to.datasetDigest,
            evaluationId);
    Map<String, String> ext = new LinkedHashMap<>();
    ext.put(CloudEventAttributes.MODEL_VERSION, to.model + ":" + to.version);
    ext.put(CloudEventAttributes.DATASET_DIGEST, to.datasetDigest);
    ext.put(CloudEventAttributes.RUN_ID, to.runId);
    OutboxEntity o = new OutboxEntity();
    o.eventId = eventId;
    o.topic = Topics.MODEL_PROMOTED;
    o.eventKey = data.key();
    o.ceType = EventTypes.MODEL_PROMOTED.ceType();
    o.payload = EventCodec.encode(data);
    o.extensions = json(ext);
    o.createdAt = at;
    o.attempts = 0;
    LOG.infof(
        "%s: champion %s -> v%d (%s by %s)",
        to.model,
        m.fromVersion == null ? "none" : "v" + m.fromVersion,
        to.version,
        m.reason,
        actor);
    return s.persist(m).chain(() -> s.persist(o)).replaceWith(m);
  }

  // ---------------------------------------------------------------- queries shared with reads

  static Uni<AliasMoveEntity> champion(Mutiny.Session s, String model) {
    return s.createSelectionQuery(
            "from AliasMoveEntity where model = :m and alias = :a order by id desc",
            AliasMoveEntity.class)
        .setParameter("m", model)
        .setParameter("a", CHAMPION)
        .setMaxResults(1)
        .getSingleResultOrNull();
  }

  static Uni<List<AliasMoveEntity>> history(Mutiny.Session s, String model) {
    return s.createSelectionQuery(
            "from AliasMoveEntity where model = :m and alias = :a order by id",
            AliasMoveEntity.class)
        .setParameter("m", model)
        .setParameter("a", CHAMPION)
        .getResultList();
  }

  static Uni<List<ModelVersionEntity>> versions(Mutiny.Session s, String model) {
    return s.createSelectionQuery(
            "from ModelVersionEntity where model = :m order by version", ModelVersionEntity.class)
        .setParameter("m", model)
        .getResultList();
  }

  static Uni<ModelVersionEntity> versionOf(Mutiny.Session s, String model, long version) {
    return s.createSelectionQuery(
            "from ModelVersionEntity where model = :m and version = :v", ModelVersionEntity.class)
        .setParameter("m", model)
        .setParameter("v", version)
        .getSingleResultOrNull();
  }

  static Uni<ModelVersionEntity> versionByRun(Mutiny.Session s, String runId) {
    return s.createSelectionQuery(
            "from ModelVersionEntity where runId = :r", ModelVersionEntity.class)
        .setParameter("r", runId)
        .getSingleResultOrNull();
  }

  private static Uni<Void> existingModel(Mutiny.Session s, String model) {
    return s.find(RegisteredModel.class, model)
        .chain(
            m -> {
              if (m == null) {
                throw Problem.notFound("no model named '" + model + "'");
              }
              return lockModel(s, model);
            });
  }

  /** Creates the model row if needed. */
  private static Uni<Void> ensureModel(Mutiny.Session s, String model) {
    return s.createNativeQuery(
            "INSERT INTO registered_model (name, created_at) VALUES (:n, :at)"
                + " ON CONFLICT (name) DO NOTHING")
        .setParameter("n", model)
        .setParameter("at", now())
        .executeUpdate()
        .replaceWithVoid();
  }

  /** Creates the model row if needed and locks it until the transaction ends. */
  private static Uni<Void> lockModel(Mutiny.Session s, String model) {
    return ensureModel(s, model)
        .chain(
            () ->
                s.createNativeQuery("SELECT name FROM registered_model WHERE name = :n FOR UPDATE")
                    .setParameter("n", model)
                    .getResultList())
        .replaceWithVoid();
  }

  /** True the first time an event id is seen on a topic (recorded in the caller's tx). */
  private static Uni<Boolean> firstTime(Mutiny.Session s, String topic, String eventId) {
    return s.createNativeQuery(
            "INSERT INTO processed_event (topic, event_id, processed_at) VALUES (:t, :id, :at)"
                + " ON CONFLICT DO NOTHING")
        .setParameter("t", topic)
        .setParameter("id", eventId)
        .setParameter("at", now())
        .executeUpdate()
        .map(n -> n == 1);
  }

  private EvaluationEntity evaluation(CloudEvent<ModelEvaluated> event) {
    ModelEvaluated m = event.data();
    EvaluationEntity e = new EvaluationEntity();
    e.evaluationId = m.evaluationId();
    e.model = m.model();
    e.kind = m.kind().wire();
    if (m.candidate() != null) {
      e.candidateRunId = m.candidate().runId();
      e.candidateVersion = m.candidate().version();
      e.candidateDigest = m.candidate().artifactDigest();
      e.candidateBleu = m.candidate().bleu();
      if (m.candidate().interval() != null) {
        e.candidateLow = m.candidate().interval().low();
        e.candidateHigh = m.candidate().interval().high();
      }
    }
    if (m.champion() != null) {
      e.championRunId = m.champion().runId();
      e.championVersion = m.champion().version();
      e.championBleu = m.champion().bleu();
    }
    e.datasetName = m.dataset().name();
    e.datasetVersion = m.dataset().version();
    e.datasetDigest = m.dataset().digest();
    e.testExamples = m.testExamples();
    e.signature = m.signature();
    e.delta = m.delta();
    e.pValue = m.pValue();
    if (m.deltaInterval() != null) {
      e.deltaLow = m.deltaInterval().low();
      e.deltaHigh = m.deltaInterval().high();
    }
    e.verdict = m.verdict().wire();
    e.reasons = String.join("\n", m.reasons());
    e.reportUri = m.reportUri();
    e.receivedAt = now();
    e.decision = EvaluationEntity.RECORDED;
    e.eventId = event.meta().id();
    return e;
  }

  /** Runs blocking work on a worker and continues on the caller's Vert.x context. */
  private <T> Uni<T> blocking(Supplier<T> work) {
    Context ctx = Optional.ofNullable(Vertx.currentContext()).orElseGet(vertx::getOrCreateContext);
    return Uni.createFrom()
        .completionStage(() -> ctx.executeBlocking(work::get, false).toCompletionStage());
  }

  private static Instant truncate(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
  }

  private static String json(Object value) {
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
