package dev.conveyor.registry.service;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.events.TrainingProgress;
import dev.conveyor.registry.repository.DatasetVersionEntity;
import dev.conveyor.registry.repository.DatasetVersionRepository;
import dev.conveyor.registry.repository.ModelRepository;
import dev.conveyor.registry.repository.ProgressPointEntity;
import dev.conveyor.registry.repository.TrainRequestEntity;
import dev.conveyor.registry.repository.TrainingRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

/** Records what comes before a model version: dataset versions, requests and loss curves. */
@ApplicationScoped
public class LineageService {
  private final Mutiny.SessionFactory sf;
  private final ModelRepository models;
  private final DatasetVersionRepository datasets;
  private final TrainingRepository training;

  public LineageService(
      Mutiny.SessionFactory sf,
      ModelRepository models,
      DatasetVersionRepository datasets,
      TrainingRepository training) {
    this.sf = sf;
    this.models = models;
    this.datasets = datasets;
    this.training = training;
  }

  /** data-arrived: records the dataset version (once per event id and per name and number). */
  public Uni<Void> onDataArrived(CloudEvent<DataArrived> event) {
    DataArrived d = event.data();
    return sf.withTransaction(
        s ->
            models
                .firstTime(s, Topics.DATA_ARRIVED, event.meta().id())
                .chain(
                    first ->
                        !first
                            ? Uni.createFrom().voidItem()
                            : Once.unlessFound(
                                datasets.find(s, d.dataset(), d.version()),
                                () -> s.persist(DatasetVersionEntity.of(event)))));
  }

  /** train-requested: records the request (once); the model becomes known. */
  public Uni<Void> onTrainRequested(CloudEvent<TrainRequested> event) {
    TrainRequested r = event.data();
    return sf.withTransaction(
        s ->
            models
                .ensure(s, r.model())
                .chain(
                    () ->
                        Once.unlessFound(
                            training.request(s, r.requestId()),
                            () -> s.persist(TrainRequestEntity.of(event)))));
  }

  /** training-progress: one point of a run's loss curve (a repeated step is ignored). */
  public Uni<Void> onTrainingProgress(CloudEvent<TrainingProgress> event) {
    return sf.withTransaction(s -> training.addPoint(s, ProgressPointEntity.of(event.data())));
  }
}
