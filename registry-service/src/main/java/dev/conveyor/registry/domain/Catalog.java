package dev.conveyor.registry.domain;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.registry.store.AliasMoveEntity;
import dev.conveyor.registry.store.DatasetVersionEntity;
import dev.conveyor.registry.store.EvaluationEntity;
import dev.conveyor.registry.store.ModelVersionEntity;
import dev.conveyor.registry.store.ProgressPointEntity;
import dev.conveyor.registry.store.RegisteredModel;
import dev.conveyor.registry.store.RollbackRequestEntity;
import dev.conveyor.registry.store.RunEntity;
import dev.conveyor.registry.store.TrainRequestEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.reactive.mutiny.Mutiny;

/** The registry's read side: models, versions, lineage, alias history and the page's timeline. */
@ApplicationScoped
public class Catalog {
  private final Mutiny.SessionFactory sf;

  public Catalog(Mutiny.SessionFactory sf) {
    this.sf = sf;
  }

  public Uni<List<Views.ModelSummary>> models() {
    return sf.withSession(
        s ->
            s.createSelectionQuery("from RegisteredModel order by name", RegisteredModel.class)
                .getResultList()
                .chain(
                    models -> {
                      Uni<List<Views.ModelSummary>> acc = Uni.createFrom().item(new ArrayList<>());
                      for (RegisteredModel m : models) {
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

  private Uni<Views.ModelSummary> summary(Mutiny.Session s, RegisteredModel m) {
    return s.createSelectionQuery(
            "select status, count(*), max(version) from ModelVersionEntity where model = :m"
                + " group by status",
            Object[].class)
        .setParameter("m", m.name)
        .getResultList()
        .chain(
            rows ->
                Registry.champion(s, m.name)
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
                              champ == null ? null : champ.toVersion,
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
                .chain(() -> Registry.champion(s, model))
                .chain(
                    champ ->
                        Registry.versions(s, model)
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
                        Registry.champion(s, model)
                            .map(champ -> Views.Version.of(v, championOf(champ)))));
  }

  /** The current champion; 404 when the model has none. */
  public Uni<Views.Champion> champion(String model) {
    return sf.withSession(
        s ->
            Registry.champion(s, model)
                .chain(
                    move -> {
                      if (move == null) {
                        throw Problem.notFound(
                            "model '"
                                + model
                                + "' has no champion (unknown model or none promoted)");
                      }
                      return Registry.versionOf(s, model, move.toVersion)
                          .map(
                              v ->
                                  new Views.Champion(
                                      model,
                                      v.version,
                                      v.runId,
                                      new ArtifactRef(
                                          v.artifactUri, v.artifactDigest, v.artifactSize),
                                      v.datasetDigest,
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
                .chain(
                    () ->
                        list(
                            s,
                            "from RollbackRequestEntity where model = :m order by receivedAt",
                            RollbackRequestEntity.class,
                            model))
                .map(rs -> rs.stream().map(Views.RollbackRequest::of).toList()));
  }

  public Uni<List<Views.AliasMove>> championHistory(String model) {
    return sf.withSession(
        s ->
            requireModel(s, model)
                .chain(() -> Registry.history(s, model))
                .map(moves -> moves.stream().map(Views.AliasMove::of).toList()));
  }

  /** Dataset -> request -> run -> version -> evaluations -> alias moves, for one version. */
  public Uni<Views.Lineage> lineage(String model, long version) {
    return sf.withSession(
        s ->
            requireVersion(s, model, version)
                .chain(
                    v ->
                        Registry.champion(s, model)
                            .chain(
                                champ -> {
                                  Views.Version view = Views.Version.of(v, championOf(champ));
                                  return lineageOf(s, v, view);
                                })));
  }

  /** Rows gathered for one lineage answer. */
  private static final class LineageParts {
    DatasetVersionEntity dataset;
    RunEntity run;
    List<Views.LossPoint> curve = List.of();
    TrainRequestEntity request;
    ModelVersionEntity base;
    List<Views.Evaluation> evaluations = List.of();
  }

  private Uni<Views.Lineage> lineageOf(Mutiny.Session s, ModelVersionEntity v, Views.Version view) {
    LineageParts p = new LineageParts();
    return s.createSelectionQuery(
            "from DatasetVersionEntity where dataset = :d and version = :v",
            DatasetVersionEntity.class)
        .setParameter("d", v.datasetName)
        .setParameter("v", v.datasetVersion)
        .getSingleResultOrNull()
        .invoke(ds -> p.dataset = ds)
        .chain(() -> s.find(RunEntity.class, v.runId))
        .invoke(run -> p.run = run)
        .chain(() -> curve(s, v.runId))
        .invoke(points -> p.curve = points)
        .chain(
            () ->
                p.run == null
                    ? Uni.createFrom().<TrainRequestEntity>nullItem()
                    : s.find(TrainRequestEntity.class, p.run.requestId))
        .invoke(req -> p.request = req)
        .chain(
            () ->
                p.run == null || p.run.baseVersion == null
                    ? Uni.createFrom().<ModelVersionEntity>nullItem()
                    : Registry.versionOf(s, v.model, p.run.baseVersion))
        .invoke(base -> p.base = base)
        .chain(() -> evaluations(s, v))
        .invoke(evals -> p.evaluations = evals)
        .chain(() -> moves(s, v))
        .map(
            moves ->
                new Views.Lineage(
                    view,
                    p.dataset == null ? null : Views.Dataset.of(p.dataset),
                    p.request == null ? null : Views.TrainRequest.of(p.request),
                    p.run == null ? null : Views.Run.of(p.run, p.curve),
                    p.base == null ? null : Views.Version.of(p.base, null),
                    p.evaluations,
                    moves));
  }

  private Uni<List<Views.Evaluation>> evaluations(Mutiny.Session s, ModelVersionEntity v) {
    return s.createSelectionQuery(
            "from EvaluationEntity where model = :m and (candidateRunId = :r or candidateVersion"
                + " = :v or championVersion = :v or championRunId = :r) order by receivedAt",
            EvaluationEntity.class)
        .setParameter("m", v.model)
        .setParameter("r", v.runId)
        .setParameter("v", v.version)
        .getResultList()
        .map(list -> list.stream().map(Views.Evaluation::of).toList());
  }

  private Uni<List<Views.AliasMove>> moves(Mutiny.Session s, ModelVersionEntity v) {
    return s.createSelectionQuery(
            "from AliasMoveEntity where model = :m and (toVersion = :v or fromVersion = :v)"
                + " order by id",
            AliasMoveEntity.class)
        .setParameter("m", v.model)
        .setParameter("v", v.version)
        .getResultList()
        .map(list -> list.stream().map(Views.AliasMove::of).toList());
  }

  private static Uni<List<Views.LossPoint>> curve(Mutiny.Session s, String runId) {
    return s.createSelectionQuery(
            "from ProgressPointEntity where runId = :r order by step", ProgressPointEntity.class)
        .setParameter("r", runId)
        .getResultList()
        .map(points -> points.stream().map(Views.LossPoint::of).toList());
  }

  /** Everything the page shows for one model, in one session. */
  public record Timeline(
      Views.ModelSummary model,
      List<Views.Dataset> datasets,
      List<Views.TrainRequest> requests,
      List<Views.Run> runs,
      List<Views.Version> versions,
      List<Views.Evaluation> evaluations,
      List<Views.AliasMove> moves,
      List<Views.RollbackRequest> rollbackRequests) {}

  /** Rows gathered for one model's page. */
  private static final class TimelineParts {
    Views.ModelSummary summary;
    List<TrainRequestEntity> requests = List.of();
    List<RunEntity> runs = List.of();
    List<ProgressPointEntity> points = List.of();
    List<DatasetVersionEntity> datasets = List.of();
    List<ModelVersionEntity> versions = List.of();
    List<EvaluationEntity> evaluations = List.of();
    List<AliasMoveEntity> moves = List.of();
  }

  public Uni<Timeline> timeline(String model) {
    TimelineParts p = new TimelineParts();
    return sf.withSession(
        s ->
            requireModel(s, model)
                .chain(m -> summary(s, m))
                .invoke(sum -> p.summary = sum)
                .chain(
                    () ->
                        list(
                            s,
                            "from TrainRequestEntity where model = :m order by requestedAt",
                            TrainRequestEntity.class,
                            model))
                .invoke(reqs -> p.requests = reqs)
                .chain(
                    () ->
                        list(
                            s,
                            "from RunEntity where model = :m order by finishedAt",
                            RunEntity.class,
                            model))
                .invoke(runs -> p.runs = runs)
                .chain(
                    () ->
                        list(
                            s,
                            "from ProgressPointEntity where model = :m order by runId, step",
                            ProgressPointEntity.class,
                            model))
                .invoke(points -> p.points = points)
                .chain(() -> datasetsOf(s, p))
                .invoke(ds -> p.datasets = ds)
                .chain(() -> Registry.versions(s, model))
                .invoke(vs -> p.versions = vs)
                .chain(
                    () ->
                        list(
                            s,
                            "from EvaluationEntity where model = :m order by receivedAt",
                            EvaluationEntity.class,
                            model))
                .invoke(evals -> p.evaluations = evals)
                .chain(() -> Registry.history(s, model))
                .invoke(moves -> p.moves = moves)
                .chain(
                    () ->
                        list(
                            s,
                            "from RollbackRequestEntity where model = :m order by receivedAt",
                            RollbackRequestEntity.class,
                            model))
                .map(rbs -> timeline(p, rbs)));
  }

  private static Uni<List<DatasetVersionEntity>> datasetsOf(Mutiny.Session s, TimelineParts p) {
    Set<String> names = new TreeSet<>();
    p.requests.forEach(r -> names.add(r.datasetName));
    p.runs.forEach(r -> names.add(r.datasetName));
    if (names.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return s.createSelectionQuery(
            "from DatasetVersionEntity where dataset in :names order by receivedAt",
            DatasetVersionEntity.class)
        .setParameter("names", names)
        .getResultList();
  }

  private static Timeline timeline(TimelineParts p, List<RollbackRequestEntity> rbs) {
    Map<String, List<Views.LossPoint>> curves = new LinkedHashMap<>();
    for (ProgressPointEntity point : p.points) {
      curves.computeIfAbsent(point.runId, k -> new ArrayList<>()).add(Views.LossPoint.of(point));
    }
    return new Timeline(
        p.summary,
        p.datasets.stream().map(Views.Dataset::of).toList(),
        p.requests.stream().map(Views.TrainRequest::of).toList(),
        p.runs.stream().map(r -> Views.Run.of(r, curves.getOrDefault(r.runId, List.of()))).toList(),
        p.versions.stream()
            .sorted(Comparator.comparingLong(v -> v.version))
            .map(v -> Views.Version.of(v, p.summary.champion()))
            .toList(),
        p.evaluations.stream().map(Views.Evaluation::of).toList(),
        p.moves.stream().map(Views.AliasMove::of).toList(),
        rbs.stream().map(Views.RollbackRequest::of).toList());
  }

  private static <T> Uni<List<T>> list(Mutiny.Session s, String hql, Class<T> type, String model) {
    return s.createSelectionQuery(hql, type).setParameter("m", model).getResultList();
  }

  private static Long championOf(AliasMoveEntity champ) {
    return champ == null ? null : champ.toVersion;
  }

  private static Uni<RegisteredModel> requireModel(Mutiny.Session s, String name) {
    return s.find(RegisteredModel.class, name)
        .map(
            m -> {
              if (m == null) {
                throw Problem.notFound("no model named '" + name + "'");
              }
              return m;
            });
  }

  private static Uni<ModelVersionEntity> requireVersion(
      Mutiny.Session s, String model, long version) {
    return requireModel(s, model)
        .chain(() -> Registry.versionOf(s, model, version))
        .map(
            v -> {
              if (v == null) {
                throw Problem.notFound("model '" + model + "' has no version " + version);
              }
              return v;
            });
  }
}
