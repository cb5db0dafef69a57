package dev.conveyor.registry.service;

import dev.conveyor.registry.repository.AliasMoveEntity;
import dev.conveyor.registry.repository.AliasMoveRepository;
import dev.conveyor.registry.repository.DatasetVersionEntity;
import dev.conveyor.registry.repository.DatasetVersionRepository;
import dev.conveyor.registry.repository.EvaluationEntity;
import dev.conveyor.registry.repository.EvaluationRepository;
import dev.conveyor.registry.repository.ModelVersionEntity;
import dev.conveyor.registry.repository.ModelVersionRepository;
import dev.conveyor.registry.repository.ProgressPointEntity;
import dev.conveyor.registry.repository.RollbackRequestEntity;
import dev.conveyor.registry.repository.RollbackRequestRepository;
import dev.conveyor.registry.repository.RunEntity;
import dev.conveyor.registry.repository.TrainRequestEntity;
import dev.conveyor.registry.repository.TrainingRepository;
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

/**
 * Lineage read back: everything behind one version (dataset → request → run → version → evaluations
 * → alias moves), and everything that happened to one model for its page.
 */
@ApplicationScoped
public class TimelineService {
  private final Mutiny.SessionFactory sf;
  private final CatalogService catalog;
  private final ModelVersionRepository versions;
  private final DatasetVersionRepository datasets;
  private final TrainingRepository training;
  private final EvaluationRepository evaluations;
  private final AliasMoveRepository moves;
  private final RollbackRequestRepository rollbackRequests;

  public TimelineService(
      Mutiny.SessionFactory sf,
      CatalogService catalog,
      ModelVersionRepository versions,
      DatasetVersionRepository datasets,
      TrainingRepository training,
      EvaluationRepository evaluations,
      AliasMoveRepository moves,
      RollbackRequestRepository rollbackRequests) {
    this.sf = sf;
    this.catalog = catalog;
    this.versions = versions;
    this.datasets = datasets;
    this.training = training;
    this.evaluations = evaluations;
    this.moves = moves;
    this.rollbackRequests = rollbackRequests;
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

  /** Rows gathered for one lineage answer. */
  private static final class LineageParts {
    ModelVersionEntity version;
    Views.Version view;
    DatasetVersionEntity dataset;
    RunEntity run;
    List<Views.LossPoint> curve = List.of();
    TrainRequestEntity request;
    ModelVersionEntity base;
    List<EvaluationEntity> evaluations = List.of();
  }

  /** Dataset -> request -> run -> version -> evaluations -> alias moves, for one version. */
  public Uni<Views.Lineage> lineage(String model, long version) {
    LineageParts p = new LineageParts();
    return sf.withSession(
        s ->
            catalog
                .requireVersion(s, model, version)
                .invoke(v -> p.version = v)
                .chain(v -> moves.champion(s, model))
                .invoke(
                    champ -> p.view = Views.Version.of(p.version, CatalogService.championOf(champ)))
                .chain(() -> datasets.find(s, p.version.dataset.name, p.version.dataset.version))
                .invoke(ds -> p.dataset = ds)
                .chain(() -> training.run(s, p.version.runId))
                .invoke(run -> p.run = run)
                .chain(() -> training.curve(s, p.version.runId))
                .invoke(points -> p.curve = points.stream().map(Views.LossPoint::of).toList())
                .chain(
                    () ->
                        p.run == null
                            ? Uni.createFrom().<TrainRequestEntity>nullItem()
                            : training.request(s, p.run.requestId))
                .invoke(req -> p.request = req)
                .chain(
                    () ->
                        p.run == null || p.run.base.version == null
                            ? Uni.createFrom().<ModelVersionEntity>nullItem()
                            : versions.find(s, model, p.run.base.version))
                .invoke(base -> p.base = base)
                .chain(() -> evaluations.about(s, p.version))
                .invoke(evals -> p.evaluations = evals)
                .chain(() -> moves.touching(s, model, version))
                .map(
                    touching ->
                        new Views.Lineage(
                            p.view,
                            p.dataset == null ? null : Views.Dataset.of(p.dataset),
                            p.request == null ? null : Views.TrainRequest.of(p.request),
                            p.run == null ? null : Views.Run.of(p.run, p.curve),
                            p.base == null ? null : Views.Version.of(p.base, null),
                            p.evaluations.stream().map(Views.Evaluation::of).toList(),
                            touching.stream().map(Views.AliasMove::of).toList())));
  }

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

  /** Everything that happened to one model; 404 when the registry never saw it. */
  public Uni<Timeline> timeline(String model) {
    TimelineParts p = new TimelineParts();
    return sf.withSession(
        s ->
            catalog
                .requireModel(s, model)
                .chain(m -> catalog.summary(s, m))
                .invoke(sum -> p.summary = sum)
                .chain(() -> training.requests(s, model))
                .invoke(reqs -> p.requests = reqs)
                .chain(() -> training.runs(s, model))
                .invoke(runs -> p.runs = runs)
                .chain(() -> training.curves(s, model))
                .invoke(points -> p.points = points)
                .chain(() -> datasets.ofDatasets(s, datasetNames(p)))
                .invoke(ds -> p.datasets = ds)
                .chain(() -> versions.all(s, model))
                .invoke(vs -> p.versions = vs)
                .chain(() -> evaluations.all(s, model))
                .invoke(evals -> p.evaluations = evals)
                .chain(() -> moves.history(s, model))
                .invoke(history -> p.moves = history)
                .chain(() -> rollbackRequests.all(s, model))
                .map(rbs -> timeline(p, rbs)));
  }

  private static Set<String> datasetNames(TimelineParts p) {
    Set<String> names = new TreeSet<>();
    p.requests.forEach(r -> names.add(r.dataset.name));
    p.runs.forEach(r -> names.add(r.dataset.name));
    return names;
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
}
