package dev.conveyor.registry.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** The transactional outbox: events committed with their change, published afterwards. */
@ApplicationScoped
public class OutboxRepository {

  /**
   * Locks up to {@code n} unpublished rows, oldest first, until the transaction ends; rows another
   * instance holds are skipped rather than waited for.
   */
  public Uni<List<OutboxEntity>> claim(Mutiny.Session s, int n) {
    return s.createNativeQuery(
            "SELECT * FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT :n"
                + " FOR UPDATE SKIP LOCKED",
            OutboxEntity.class)
        .setParameter("n", n)
        .getResultList();
  }
}
