package dev.conveyor.registry.repository;

import dev.conveyor.events.ModelPromoted;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** The append-only history of the champion alias; its latest row is the champion. */
@ApplicationScoped
public class AliasMoveRepository {
  public static final String CHAMPION = "champion";

  /** The latest move of the champion alias, or null when there never was one. */
  public Uni<AliasMoveEntity> champion(Mutiny.Session s, String model) {
    return s.createSelectionQuery(
            "from AliasMoveEntity where model = :m and alias = :a order by id desc",
            AliasMoveEntity.class)
        .setParameter("m", model)
        .setParameter("a", CHAMPION)
        .setMaxResults(1)
        .getSingleResultOrNull();
  }

  /** Every move of the champion alias, oldest first. */
  public Uni<List<AliasMoveEntity>> history(Mutiny.Session s, String model) {
    return s.createSelectionQuery(
            "from AliasMoveEntity where model = :m and alias = :a order by id",
            AliasMoveEntity.class)
        .setParameter("m", model)
        .setParameter("a", CHAMPION)
        .getResultList();
  }

  /** The moves to or from one version, oldest first. */
  public Uni<List<AliasMoveEntity>> touching(Mutiny.Session s, String model, long version) {
    return s.createSelectionQuery(
            "from AliasMoveEntity where model = :m and (toVersion = :v or fromVersion = :v)"
                + " order by id",
            AliasMoveEntity.class)
        .setParameter("m", model)
        .setParameter("v", version)
        .getResultList();
  }

  /** True when the champion was ever rolled back away from this version. */
  public Uni<Boolean> rolledBackFrom(Mutiny.Session s, String model, long version) {
    return s.createSelectionQuery(
            "select count(*) from AliasMoveEntity where model = :m and alias = :a and reason = :r"
                + " and fromVersion = :v",
            Long.class)
        .setParameter("m", model)
        .setParameter("a", CHAMPION)
        .setParameter("r", ModelPromoted.Reason.ROLLBACK.wire())
        .setParameter("v", version)
        .getSingleResult()
        .map(n -> n > 0);
  }
}
