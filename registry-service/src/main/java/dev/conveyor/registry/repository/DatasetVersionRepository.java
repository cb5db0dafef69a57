package dev.conveyor.registry.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** Dataset versions as data-arrived announced them. */
@ApplicationScoped
public class DatasetVersionRepository {

  public Uni<DatasetVersionEntity> find(Mutiny.Session s, String dataset, long version) {
    return s.createSelectionQuery(
            "from DatasetVersionEntity where dataset = :d and version = :v",
            DatasetVersionEntity.class)
        .setParameter("d", dataset)
        .setParameter("v", version)
        .getSingleResultOrNull();
  }

  /** Every version of these datasets, in arrival order. */
  public Uni<List<DatasetVersionEntity>> ofDatasets(Mutiny.Session s, Collection<String> names) {
    if (names.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return s.createSelectionQuery(
            "from DatasetVersionEntity where dataset in :names order by receivedAt",
            DatasetVersionEntity.class)
        .setParameter("names", names)
        .getResultList();
  }
}
