package dev.conveyor.registry.service;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.registry.repository.Columns;
import dev.conveyor.registry.repository.ModelRepository;
import dev.conveyor.registry.repository.ModelVersionEntity;
import dev.conveyor.registry.repository.ModelVersionRepository;
import dev.conveyor.registry.repository.RunEntity;
import dev.conveyor.registry.repository.TrainingRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Turns succeeded runs into model versions: allocates the next number, copies the run's objects to
 * {@code models/<name>/<version>/}, verifies the copy and registers or rejects the version, then
 * lets evaluations that were waiting for it decide.
 */
@ApplicationScoped
public class RegistrationService {
  private static final Logger LOG = Logger.getLogger(RegistrationService.class);

  private final Mutiny.SessionFactory sf;
  private final ModelRepository models;
  private final ModelVersionRepository versions;
  private final TrainingRepository training;
  private final ArtifactService artifacts;
  private final GateService gate;
  private final OutboxService outbox;
  private final Vertx vertx;

  public RegistrationService(
      Mutiny.SessionFactory sf,
      ModelRepository models,
      ModelVersionRepository versions,
      TrainingRepository training,
      ArtifactService artifacts,
      GateService gate,
      OutboxService outbox,
      Vertx vertx) {
    this.sf = sf;
    this.models = models;
    this.versions = versions;
    this.training = training;
    this.artifacts = artifacts;
    this.gate = gate;
    this.outbox = outbox;
    this.vertx = vertx;
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
                models
                    .lock(s, t.model())
                    .chain(() -> training.run(s, t.runId()))
                    .chain(run -> run == null ? recordRun(s, event) : resume(s, run)));
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
                      () -> artifacts.copyAndVerify(v.runId, reg.artifact(), v.model, v.version))
                  .onFailure(ArtifactService::transientFailure)
                  .retry()
                  .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5))
                  .atMost(5)
                  .chain(result -> completeRegistration(v.model, v.version, result));
            })
        .invoke(outbox::trigger);
  }

  private Uni<Registration> recordRun(Mutiny.Session s, CloudEvent<ModelTrained> event) {
    ModelTrained t = event.data();
    RunEntity run = RunEntity.of(event);
    if (!t.succeeded()) {
      return s.persist(run)
          .chain(
              () ->
                  gate.settlePending(
                      s,
                      t.model(),
                      t.runId(),
                      "run " + t.runId() + " failed: " + t.outcome().reason()))
          .replaceWith((Registration) null);
    }
    return s.persist(run)
        .chain(() -> versions.next(s, t.model()))
        .chain(
            number -> {
              ModelVersionEntity v =
                  ModelVersionEntity.pending(
                      t, number, artifacts.targetUri(t.runId(), t.artifact(), t.model(), number));
              return s.persist(v).replaceWith(new Registration(v, t.artifact()));
            });
  }

  private Uni<Registration> resume(Mutiny.Session s, RunEntity run) {
    if (!run.succeeded()) {
      return Uni.createFrom().nullItem();
    }
    return versions
        .byRun(s, run.runId)
        .map(
            v ->
                v != null && ModelVersionEntity.PENDING.equals(v.status)
                    ? new Registration(
                        v, new ArtifactRef(run.artifactUri, run.artifactDigest, run.artifactSize))
                    : null);
  }

  private Uni<Void> completeRegistration(
      String model, long version, ArtifactService.Result result) {
    return sf.withTransaction(
        s ->
            models
                .lock(s, model)
                .chain(() -> versions.find(s, model, version))
                .chain(
                    v -> {
                      if (v == null || !ModelVersionEntity.PENDING.equals(v.status)) {
                        return Uni.createFrom().voidItem();
                      }
                      v.updatedAt = Columns.now();
                      if (result.verified()) {
                        v.status = ModelVersionEntity.REGISTERED;
                        v.statusReason = null;
                        LOG.infof("registered %s:%d from run %s", model, version, v.runId);
                        return gate.applyPending(s, v);
                      }
                      v.status = ModelVersionEntity.REJECTED;
                      v.statusReason = result.reason();
                      LOG.warnf("rejected %s:%d: %s", model, version, result.reason());
                      return gate.settlePending(
                          s, model, v.runId, "v" + version + " was rejected: " + result.reason());
                    }));
  }

  /** Runs blocking work on a worker and continues on the caller's Vert.x context. */
  private <T> Uni<T> blocking(Supplier<T> work) {
    Context ctx = Optional.ofNullable(Vertx.currentContext()).orElseGet(vertx::getOrCreateContext);
    return Uni.createFrom()
        .completionStage(() -> ctx.executeBlocking(work::get, false).toCompletionStage());
  }
}
