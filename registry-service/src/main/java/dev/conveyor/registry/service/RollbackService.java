package dev.conveyor.registry.service;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.RollbackRequested;
import dev.conveyor.registry.repository.ModelRepository;
import dev.conveyor.registry.repository.RollbackRequestEntity;
import dev.conveyor.registry.repository.RollbackRequestRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/** Applies serving's rollback-requested events, once each, and records what came of them. */
@ApplicationScoped
public class RollbackService {
  private static final Logger LOG = Logger.getLogger(RollbackService.class);

  private final Mutiny.SessionFactory sf;
  private final ModelRepository models;
  private final RollbackRequestRepository requests;
  private final AliasService aliases;
  private final OutboxService outbox;

  public RollbackService(
      Mutiny.SessionFactory sf,
      ModelRepository models,
      RollbackRequestRepository requests,
      AliasService aliases,
      OutboxService outbox) {
    this.sf = sf;
    this.models = models;
    this.requests = requests;
    this.aliases = aliases;
    this.outbox = outbox;
  }

  /**
   * rollback-requested: moves the champion back to the one before it, once per request id, and only
   * while the champion is still the version the request is about.
   */
  public Uni<Void> onRollbackRequested(CloudEvent<RollbackRequested> event) {
    RollbackRequested r = event.data();
    return sf.withTransaction(
            s ->
                models
                    .lock(s, r.model())
                    .chain(
                        () ->
                            Once.unlessFound(
                                requests.find(s, r.requestId()), () -> apply(s, event))))
        .invoke(outbox::trigger);
  }

  private Uni<Void> apply(Mutiny.Session s, CloudEvent<RollbackRequested> event) {
    RollbackRequested r = event.data();
    RollbackRequestEntity e = RollbackRequestEntity.of(event);
    return aliases
        .rollBack(
            s,
            r.model(),
            AliasService.Cause.rollback(r.requestedBy(), r.requestId(), r.reason()),
            plan -> {
              if (plan.current() == null) {
                return r.model() + " has no champion";
              }
              if (plan.current().toVersion != r.fromVersion()) {
                return "the champion is v"
                    + plan.current().toVersion
                    + ", not v"
                    + r.fromVersion()
                    + " (stale request)";
              }
              return plan.target() == null ? "no previous champion to roll back to" : null;
            })
        .chain(
            o -> {
              if (o.moved()) {
                e.outcome = RollbackRequestEntity.ROLLED_BACK;
                e.outcomeReason = "champion moved back to v" + o.move().toVersion;
              } else {
                e.outcome = RollbackRequestEntity.REFUSED;
                e.outcomeReason = o.refusal();
                LOG.warnf("rollback %s of %s refused: %s", e.requestId, e.model, o.refusal());
              }
              return s.persist(e);
            });
  }
}
