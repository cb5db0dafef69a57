package dev.conveyor.messaging;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.EventType;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** A consumer of every topic, as a service would write one, recording what it accepted. */
@ApplicationScoped
public class ContractListener {
  private final Map<String, List<CloudEvent<?>>> received = new ConcurrentHashMap<>();

  @Incoming(Topics.DATA_ARRIVED)
  public CompletionStage<Void> dataArrived(Message<String> m) {
    return accept(m, EventTypes.DATA_ARRIVED);
  }

  @Incoming(Topics.TRAIN_REQUESTED)
  public CompletionStage<Void> trainRequested(Message<String> m) {
    return accept(m, EventTypes.TRAIN_REQUESTED);
  }

  @Incoming(Topics.MODEL_TRAINED)
  public CompletionStage<Void> modelTrained(Message<String> m) {
    return accept(m, EventTypes.MODEL_TRAINED);
  }

  @Incoming(Topics.MODEL_EVALUATED)
  public CompletionStage<Void> modelEvaluated(Message<String> m) {
    return accept(m, EventTypes.MODEL_EVALUATED);
  }

  @Incoming(Topics.MODEL_PROMOTED)
  public CompletionStage<Void> modelPromoted(Message<String> m) {
    return accept(m, EventTypes.MODEL_PROMOTED);
  }

  @Incoming(Topics.ROLLBACK_REQUESTED)
  public CompletionStage<Void> rollbackRequested(Message<String> m) {
    return accept(m, EventTypes.ROLLBACK_REQUESTED);
  }

  @Incoming(Topics.TRAINING_PROGRESS)
  public CompletionStage<Void> trainingProgress(Message<String> m) {
    return accept(m, EventTypes.TRAINING_PROGRESS);
  }

  private <T extends dev.conveyor.events.EventData> CompletionStage<Void> accept(
      Message<String> m, EventType<T> type) {
    return IncomingEvents.handle(
        m,
        type,
        event -> {
          received.computeIfAbsent(type.topic(), t -> new CopyOnWriteArrayList<>()).add(event);
          return CompletableFuture.completedFuture(null);
        });
  }

  public List<CloudEvent<?>> received(String topic) {
    return received.getOrDefault(topic, List.of());
  }
}
