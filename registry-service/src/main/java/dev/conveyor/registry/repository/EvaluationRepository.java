package dev.conveyor.registry.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** Recorded model-evaluated events and the registry's decisions about them. */
@ApplicationScoped
public class EvaluationRepository {

  public Uni<EvaluationEntity> find(Mutiny.Session s, String evaluationId) {
    return s.find(EvaluationEntity.class, evaluationId);
  }

  /** Every evaluation of a model, in arrival order. */
  public Uni<List<EvaluationEntity>> all(Mutiny.Session s, String model) {
    return Queries.ofModel(s, EvaluationEntity.class, "receivedAt", model);
  }

  /** Passed gates still waiting for this run's version to be registered. */
  public Uni<List<EvaluationEntity>> pendingFor(Mutiny.Session s, String model, String runId) {
    return s.createSelectionQuery(
            "from EvaluationEntity where model = :m and candidateRunId = :r and decision = :d"
                + " order by receivedAt",
            EvaluationEntity.class)
        .setParameter("m", model)
        .setParameter("r", runId)
        .setParameter("d", EvaluationEntity.PENDING)
        .getResultList();
  }

  /** Evaluations of a version, as candidate or as champion. */
  public Uni<List<EvaluationEntity>> about(Mutiny.Session s, ModelVersionEntity v) {
    return s.createSelectionQuery(
            "from EvaluationEntity where model = :m and (candidateRunId = :r or candidateVersion"
                + " = :v or championVersion = :v or championRunId = :r) order by receivedAt",
            EvaluationEntity.class)
        .setParameter("m", v.model)
        .setParameter("r", v.runId)
        .setParameter("v", v.version)
        .getResultList();
  }
}
