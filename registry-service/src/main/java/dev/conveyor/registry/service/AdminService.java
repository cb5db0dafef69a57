package dev.conveyor.registry.service;

import dev.conveyor.registry.repository.Columns;
import dev.conveyor.registry.repository.ModelRepository;
import dev.conveyor.registry.repository.ModelVersionEntity;
import dev.conveyor.registry.repository.ModelVersionRepository;
import dev.conveyor.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * What an admin does by hand: promote a version, roll the champion back, archive a version. Each
 * action is one transaction under the model's lock; refusals are {@link ProblemException}s (404,
 * 409).
 */
@ApplicationScoped
public class AdminService {
  private final Mutiny.SessionFactory sf;
  private final ModelRepository models;
  private final ModelVersionRepository versions;
  private final AliasService aliases;
  private final OutboxService outbox;

  public AdminService(
      Mutiny.SessionFactory sf,
      ModelRepository models,
      ModelVersionRepository versions,
      AliasService aliases,
      OutboxService outbox) {
    this.sf = sf;
    this.models = models;
    this.versions = versions;
    this.aliases = aliases;
    this.outbox = outbox;
  }

  /** Makes {@code version} the champion by hand (reason {@code manual}). */
  public Uni<Views.AliasMove> promote(String model, long version, String actor, String note) {
    return moveChampion(
        model,
        s ->
            existingVersion(s, model, version)
                .chain(
                    v -> {
                      if (!v.promotable()) {
                        throw ProblemException.conflict(
                            model
                                + ":"
                                + version
                                + " is "
                                + v.status
                                + " and cannot be promoted"
                                + (v.statusReason == null ? "" : " (" + v.statusReason + ")"));
                      }
                      return aliases.promote(
                          s,
                          v,
                          AliasService.Cause.manual(actor, note),
                          current ->
                              current != null && current.toVersion == version
                                  ? model + ":" + version + " is already the champion"
                                  : null);
                    }));
  }

  /** Moves the champion back to the one before it (reason {@code rollback}). */
  public Uni<Views.AliasMove> rollback(String model, String actor, String note) {
    return moveChampion(
        model,
        s ->
            aliases.rollBack(
                s,
                model,
                AliasService.Cause.rollback(actor, null, note),
                plan -> {
                  if (plan.current() == null) {
                    return model + " has no champion to roll back";
                  }
                  return plan.target() == null
                      ? model
                          + ":"
                          + plan.current().toVersion
                          + " has no earlier champion to roll back to"
                      : null;
                }));
  }

  /** Archives a version: it stays readable but can never be promoted again. */
  public Uni<Views.Version> archive(String model, long version, String actor) {
    return sf.withTransaction(
        s ->
            existingModel(s, model)
                .chain(() -> existingVersion(s, model, version))
                .chain(
                    v ->
                        aliases
                            .champion(s, model)
                            .map(
                                current -> {
                                  Long champ = current == null ? null : current.toVersion;
                                  if (champ != null && champ == version) {
                                    throw ProblemException.conflict(
                                        model
                                            + ":"
                                            + version
                                            + " is the champion; promote another version or roll"
                                            + " back first");
                                  }
                                  if (ModelVersionEntity.PENDING.equals(v.status)) {
                                    throw ProblemException.conflict(
                                        model + ":" + version + " is still being verified");
                                  }
                                  if (!ModelVersionEntity.ARCHIVED.equals(v.status)) {
                                    v.statusReason =
                                        "archived by "
                                            + actor
                                            + (ModelVersionEntity.REJECTED.equals(v.status)
                                                ? " (was rejected: " + v.statusReason + ")"
                                                : "");
                                    v.status = ModelVersionEntity.ARCHIVED;
                                    v.updatedAt = Columns.now();
                                  }
                                  return Views.Version.of(v, champ);
                                })));
  }

  /** One transaction that moves the champion or refuses with 409; publishes after the commit. */
  private Uni<Views.AliasMove> moveChampion(
      String model, Function<Mutiny.Session, Uni<AliasService.Outcome>> move) {
    return sf.withTransaction(
            s ->
                existingModel(s, model)
                    .chain(() -> move.apply(s))
                    .map(
                        o -> {
                          if (!o.moved()) {
                            throw ProblemException.conflict(o.refusal());
                          }
                          return Views.AliasMove.of(o.move());
                        }))
        .invoke(outbox::trigger);
  }

  /** Locks the model for the rest of the transaction; 404 when the registry never saw it. */
  private Uni<Void> existingModel(Mutiny.Session s, String model) {
    return models
        .find(s, model)
        .chain(
            m -> {
              if (m == null) {
                throw ProblemException.notFound("no model named '" + model + "'");
              }
              return models.lock(s, model);
            });
  }

  private Uni<ModelVersionEntity> existingVersion(Mutiny.Session s, String model, long version) {
    return versions
        .find(s, model, version)
        .map(
            v -> {
              if (v == null) {
                throw ProblemException.notFound(model + " has no version " + version);
              }
              return v;
            });
  }
}
