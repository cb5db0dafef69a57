package dev.conveyor.registry.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** Rollback-requested events and their outcomes. */
@ApplicationScoped
public class RollbackRequestRepository {

  public Uni<RollbackRequestEntity> find(Mutiny.Session s, String requestId) {
    return s.find(RollbackRequestEntity.class, requestId);
  }

  public Uni<List<RollbackRequestEntity>> all(Mutiny.Session s, String model) {
    return Queries.ofModel(s, RollbackRequestEntity.class, "receivedAt", model);
  }
}
