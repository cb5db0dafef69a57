package dev.conveyor.registry.events;

import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Topics;
import dev.conveyor.messaging.IncomingEvents;
import dev.conveyor.registry.domain.Registry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The registry's consumers: each event is read strictly (a contract violation goes to the topic's
 * dead-letter queue with the reason) and handed to {@link Registry}; the offset is committed only
 * after its transaction committed, so a crash replays the event and the handlers are idempotent.
 */
@ApplicationScoped
public class RegistryConsumers {
  private final Registry registry;

  public RegistryConsumers(Registry registry) {
    this.registry = registry;
  }

  @Incoming(Topics.DATA_ARRIVED)
  public CompletionStage<Void> dataArrived(Message<String> m) {
    return IncomingEvents.handle(
        m, EventTypes.DATA_ARRIVED, e -> registry.onDataArrived(e).subscribeAsCompletionStage());
  }

  @Incoming(Topics.TRAIN_REQUESTED)
  public CompletionStage<Void> trainRequested(Message<String> m) {
    return IncomingEvents.handle(
        m,
        EventTypes.TRAIN_REQUESTED,
        e -> registry.onTrainRequested(e).subscribeAsCompletionStage());
  }

  @Incoming(Topics.TRAINING_PROGRESS)
  public CompletionStage<Void> trainingProgress(Message<String> m) {
    return IncomingEvents.handle(
        m,
        EventTypes.TRAINING_PROGRESS,
        e -> registry.onTrainingProgress(e).subscribeAsCompletionStage());
  }

  @Incoming(Topics.MODEL_TRAINED)
  public CompletionStage<Void> modelTrained(Message<String> m) {
    return IncomingEvents.handle(
        m, EventTypes.MODEL_TRAINED, e -> registry.onModelTrained(e).subscribeAsCompletionStage());
  }

  @Incoming(Topics.MODEL_EVALUATED)
  public CompletionStage<Void> modelEvaluated(Message<String> m) {
    return IncomingEvents.handle(
        m,
        EventTypes.MODEL_EVALUATED,
        e -> registry.onModelEvaluated(e).subscribeAsCompletionStage());
  }

  @Incoming(Topics.ROLLBACK_REQUESTED)
  public CompletionStage<Void> rollbackRequested(Message<String> m) {
    return IncomingEvents.handle(
        m,
        EventTypes.ROLLBACK_REQUESTED,
        e -> registry.onRollbackRequested(e).subscribeAsCompletionStage());
  }
}
