package dev.conveyor.registry.service;

import dev.conveyor.registry.repository.AliasMoveEntity;
import dev.conveyor.registry.repository.AliasMoveRepository;
import dev.conveyor.registry.repository.ModelRepository;
import dev.conveyor.registry.repository.ModelVersionEntity;
import dev.conveyor.registry.repository.ModelVersionRepository;
import dev.conveyor.registry.repository.RegisteredModel;
import dev.conveyor.registry.repository.RollbackRequestRepository;
import dev.conveyor.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** The registry's read side: models, versions, the champion and its history. */
@ApplicationScoped
public class CatalogService {
  private final Mutiny.SessionFactory sf;
  private final ModelRepository models;
  private final ModelVersionRepository versions;
  private final AliasMoveRepository moves;
  private final RollbackRequestRepository rollbackRequests;

  public CatalogService(
      Mutiny.SessionFactory sf,
      ModelRepository models,
      ModelVersionRepository versions,
      AliasMoveRepository moves,
      RollbackRequestRepository rollbackRequests) {
    this.sf = sf;
    this.models = models;
    this.versions = versions;
    this.moves = moves;
    this.rollbackRequests = rollbackRequests;
  }

  public Uni<List<Views.ModelSummary>> models() {
    return sf.withSession(
        s ->
            models
                .all(s)
                .chain(
                    all -> {
                      Uni<List<Views.ModelSummary>> acc = Uni.createFrom().item(new ArrayList<>());
                      for (RegisteredModel m : all) {
                        acc =
                            acc.chain(
                                list ->
                                    summary(s, m)
                                        .map(
                                            sum -> {
                                              list.add(sum);
                                              return list;
                                            }));
                      }
                      return acc;
                    }));
  }

  public Uni<Views.ModelSummary> model(String name) {
    return sf.withSession(s -> requireModel(s, name).chain(m -> summary(s, m)));
  }

  /** A model with its champion and version counts, in the caller's session. */
  Uni<Views.ModelSummary> summary(Mutiny.Session s, RegisteredModel m) {
    return versions
        .countsByStatus(s, m.name)
        .chain(
            rows ->
                moves
                    .champion(s, m.name)
                    .map(
                        champ -> {
                          long total = 0;
                          long registered = 0;
                          long rejected = 0;
                          long archived = 0;
                          Long latest = null;
                          for (Object[] r : rows) {
                            long n = ((Number) r[1]).longValue();
                            long max = ((Number) r[2]).longValue();
                            total += n;
                            latest = latest == null ? max : Math.max(latest, max);
                            switch ((String) r[0]) {
                              case ModelVersionEntity.REGISTERED -> registered += n;
                              case ModelVersionEntity.REJECTED -> rejected += n;
                              case ModelVersionEntity.ARCHIVED -> archived += n;
                              default -> {}
                            }
                          }
                          return new Views.ModelSummary(
                              m.name,
                              m.createdAt,
                              championOf(champ),
                              latest,
                              total,
                              registered,
                              rejected,
                              archived);
                        }));
  }

  public Uni<List<Views.Version>> versions(String model) {
    return sf.withSession(
        s ->
            requireModel(s, model)
                .chain(() -> moves.champion(s, model))
                .chain(
                    champ ->
                        versions
                            .all(s, model)
                            .map(
                                vs ->
                                    vs.stream()
                                        .map(v -> Views.Version.of(v, championOf(champ)))
                                        .toList())));
  }

  public Uni<Views.Version> version(String model, long version) {
    return sf.withSession(
        s ->
            requireVersion(s, model, version)
                .chain(
                    v ->
                        moves
                            .champion(s, model)
                            .map(champ -> Views.Version.of(v, championOf(champ)))));
  }

  /** The current champion; 404 when the model has none. */
  public Uni<Views.Champion> champion(String model) {
    return sf.withSession(
        s ->
            moves
                .champion(s, model)
                .chain(
                    move -> {
                      if (move == null) {
                        throw ProblemException.notFound(
                            "model '"
                                + model
                                + "' has no champion (unknown model or none promoted)");
                      }
                      return versions
                          .find(s, model, move.toVersion)
                          .map(
                              v ->
                                  new Views.Champion(
                                      model,
                                      v.version,
                                      v.runId,
                                      v.artifact(),
                                      v.dataset.digest,
                                      move.reason,
                                      move.actor,
                                      move.evaluationId,
                                      move.movedAt));
                    }));
  }

  public Uni<List<Views.RollbackRequest>> rollbackRequests(String model) {
    return sf.withSession(
        s ->
            requireModel(s, model)
                .chain(() -> rollbackRequests.all(s, model))
                .map(rs -> rs.stream().map(Views.RollbackRequest::of).toList()));
  }

  public Uni<List<Views.AliasMove>> championHistory(String model) {
    return sf.withSession(
        s ->
            requireModel(s, model)
                .chain(() -> moves.history(s, model))
                .map(history -> history.stream().map(Views.AliasMove::of).toList()));
  }

  /** The model, or 404. */
  Uni<RegisteredModel> requireModel(Mutiny.Session s, String name) {
    return models
        .find(s, name)
        .map(
            m -> {
              if (m == null) {
                throw ProblemException.notFound("no model named '" + name + "'");
              }
              return m;
            });
  }

  /** The version, or 404 for an unknown model or version. */
  Uni<ModelVersionEntity> requireVersion(Mutiny.Session s, String model, long version) {
    return requireModel(s, model)
        .chain(() -> versions.find(s, model, version))
        .map(
            v -> {
              if (v == null) {
                throw ProblemException.notFound("model '" + model + "' has no version " + version);
              }
              return v;
            });
  }

  static Long championOf(AliasMoveEntity champ) {
    return champ == null ? null : champ.toVersion;
  }
}
