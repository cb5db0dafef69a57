package dev.conveyor.registry.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** Model versions: by number, by run, per model, and the next number to allocate. */
@ApplicationScoped
public class ModelVersionRepository {

  public Uni<List<ModelVersionEntity>> all(Mutiny.Session s, String model) {
    return Queries.ofModel(s, ModelVersionEntity.class, "version", model);
  }

  public Uni<ModelVersionEntity> find(Mutiny.Session s, String model, long version) {
    return s.createSelectionQuery(
            "from ModelVersionEntity where model = :m and version = :v", ModelVersionEntity.class)
        .setParameter("m", model)
        .setParameter("v", version)
        .getSingleResultOrNull();
  }

  public Uni<ModelVersionEntity> byRun(Mutiny.Session s, String runId) {
    return s.createSelectionQuery(
            "from ModelVersionEntity where runId = :r", ModelVersionEntity.class)
        .setParameter("r", runId)
        .getSingleResultOrNull();
  }

  /** The next version number; monotonic because rejected versions keep theirs. */
  public Uni<Long> next(Mutiny.Session s, String model) {
    return s.createSelectionQuery(
            "select coalesce(max(version), 0) from ModelVersionEntity where model = :m", Long.class)
        .setParameter("m", model)
        .getSingleResult()
        .map(max -> max + 1);
  }

  /** Per status: {@code [status, count, max(version)]}. */
  public Uni<List<Object[]>> countsByStatus(Mutiny.Session s, String model) {
    return s.createSelectionQuery(
            "select status, count(*), max(version) from ModelVersionEntity where model = :m"
                + " group by status",
            Object[].class)
        .setParameter("m", model)
        .getResultList();
  }
}
