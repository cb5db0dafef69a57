package dev.conveyor.registry.repository;

import io.smallrye.mutiny.Uni;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** The query most reads start from: every row of one model, in a given order. */
final class Queries {
  private Queries() {}

  static <T> Uni<List<T>> ofModel(Mutiny.Session s, Class<T> entity, String orderBy, String model) {
    return s.createSelectionQuery(
            "from " + entity.getSimpleName() + " where model = :m order by " + orderBy, entity)
        .setParameter("m", model)
        .getResultList();
  }
}
