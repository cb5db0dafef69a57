package dev.conveyor.registry.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** Training requests, finished runs and their loss-curve points. */
@ApplicationScoped
public class TrainingRepository {

  public Uni<TrainRequestEntity> request(Mutiny.Session s, String requestId) {
    return s.find(TrainRequestEntity.class, requestId);
  }

  public Uni<RunEntity> run(Mutiny.Session s, String runId) {
    return s.find(RunEntity.class, runId);
  }

  public Uni<List<TrainRequestEntity>> requests(Mutiny.Session s, String model) {
    return Queries.ofModel(s, TrainRequestEntity.class, "requestedAt", model);
  }

  public Uni<List<RunEntity>> runs(Mutiny.Session s, String model) {
    return Queries.ofModel(s, RunEntity.class, "finishedAt", model);
  }

  /** Stores one point of a run's curve; a step already stored is left as it is. */
  public Uni<Void> addPoint(Mutiny.Session s, ProgressPointEntity p) {
    return s.createNativeQuery(
            "INSERT INTO progress_point (run_id, model, step, total_steps, loss,"
                + " tokens_per_second, received_at) VALUES (:run, :model, :step, :total,"
                + " :loss, :tps, :at) ON CONFLICT (run_id, step) DO NOTHING")
        .setParameter("run", p.runId)
        .setParameter("model", p.model)
        .setParameter("step", p.step)
        .setParameter("total", p.totalSteps)
        .setParameter("loss", p.loss)
        .setParameter("tps", p.tokensPerSecond)
        .setParameter("at", p.receivedAt)
        .executeUpdate()
        .replaceWithVoid();
  }

  /** One run's curve, by step. */
  public Uni<List<ProgressPointEntity>> curve(Mutiny.Session s, String runId) {
    return s.createSelectionQuery(
            "from ProgressPointEntity where runId = :r order by step", ProgressPointEntity.class)
        .setParameter("r", runId)
        .getResultList();
  }

  /** Every run's curve of a model, by run and step. */
  public Uni<List<ProgressPointEntity>> curves(Mutiny.Session s, String model) {
    return Queries.ofModel(s, ProgressPointEntity.class, "runId, step", model);
  }
}
