package dev.conveyor.registry.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Model names and the row lock that serialises every change to one model; also the consumers'
 * record of handled event ids.
 */
@ApplicationScoped
public class ModelRepository {

  public Uni<RegisteredModel> find(Mutiny.Session s, String name) {
    return s.find(RegisteredModel.class, name);
  }

  public Uni<List<RegisteredModel>> all(Mutiny.Session s) {
    return s.createSelectionQuery("from RegisteredModel order by name", RegisteredModel.class)
        .getResultList();
  }

  /** Creates the model row if needed. */
  public Uni<Void> ensure(Mutiny.Session s, String model) {
    return s.createNativeQuery(
            "INSERT INTO registered_model (name, created_at) VALUES (:n, :at)"
                + " ON CONFLICT (name) DO NOTHING")
        .setParameter("n", model)
        .setParameter("at", Columns.now())
        .executeUpdate()
        .replaceWithVoid();
  }

  /** Creates the model row if needed and locks it until the transaction ends. */
  public Uni<Void> lock(Mutiny.Session s, String model) {
    return ensure(s, model)
        .chain(
            () ->
                s.createNativeQuery("SELECT name FROM registered_model WHERE name = :n FOR UPDATE")
                    .setParameter("n", model)
                    .getResultList())
        .replaceWithVoid();
  }

  /** True the first time an event id is seen on a topic (recorded in the caller's tx). */
  public Uni<Boolean> firstTime(Mutiny.Session s, String topic, String eventId) {
    return s.createNativeQuery(
            "INSERT INTO processed_event (topic, event_id, processed_at) VALUES (:t, :id, :at)"
                + " ON CONFLICT DO NOTHING")
        .setParameter("t", topic)
        .setParameter("id", eventId)
        .setParameter("at", Columns.now())
        .executeUpdate()
        .map(n -> n == 1);
  }
}
