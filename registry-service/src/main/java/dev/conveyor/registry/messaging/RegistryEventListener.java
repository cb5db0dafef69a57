package dev.conveyor.registry.messaging;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventType;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Topics;
import dev.conveyor.messaging.IncomingEvents;
import dev.conveyor.registry.service.GateService;
import dev.conveyor.registry.service.LineageService;
import dev.conveyor.registry.service.RegistrationService;
import dev.conveyor.registry.service.RollbackService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The registry's consumers: each event is read strictly (a contract violation goes to the topic's
 * dead-letter queue with the reason) and handed to its service; the offset is committed only after
 * the service's transaction committed, so a crash replays the event and the handlers are
 * idempotent.
 */
@ApplicationScoped
public class RegistryEventListener {
  private final LineageService lineage;
  private final RegistrationService registration;
  private final GateService gate;
  private final RollbackService rollback;

  public RegistryEventListener(
      LineageService lineage,
      RegistrationService registration,
      GateService gate,
      RollbackService rollback) {
    this.lineage = lineage;
    this.registration = registration;
    this.gate = gate;
    this.rollback = rollback;
  }

  @Incoming(Topics.DATA_ARRIVED)
  public CompletionStage<Void> dataArrived(Message<String> m) {
    return handle(m, EventTypes.DATA_ARRIVED, lineage::onDataArrived);
  }

  @Incoming(Topics.TRAIN_REQUESTED)
  public CompletionStage<Void> trainRequested(Message<String> m) {
    return handle(m, EventTypes.TRAIN_REQUESTED, lineage::onTrainRequested);
  }

  @Incoming(Topics.TRAINING_PROGRESS)
  public CompletionStage<Void> trainingProgress(Message<String> m) {
    return handle(m, EventTypes.TRAINING_PROGRESS, lineage::onTrainingProgress);
  }

  @Incoming(Topics.MODEL_TRAINED)
  public CompletionStage<Void> modelTrained(Message<String> m) {
    return handle(m, EventTypes.MODEL_TRAINED, registration::onModelTrained);
  }

  @Incoming(Topics.MODEL_EVALUATED)
  public CompletionStage<Void> modelEvaluated(Message<String> m) {
    return handle(m, EventTypes.MODEL_EVALUATED, gate::onModelEvaluated);
  }

  @Incoming(Topics.ROLLBACK_REQUESTED)
  public CompletionStage<Void> rollbackRequested(Message<String> m) {
    return handle(m, EventTypes.ROLLBACK_REQUESTED, rollback::onRollbackRequested);
  }

  private static <T extends EventData> CompletionStage<Void> handle(
      Message<String> m, EventType<T> type, Function<CloudEvent<T>, Uni<Void>> handler) {
    return IncomingEvents.handle(m, type, e -> handler.apply(e).subscribeAsCompletionStage());
  }
}
