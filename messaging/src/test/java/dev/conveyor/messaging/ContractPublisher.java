package dev.conveyor.messaging;

import dev.conveyor.events.EventData;
import dev.conveyor.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes each event through SmallRye. Test channels are named {@code <topic>-out} because this
 * one app also consumes every topic; services name their channels after the topic.
 */
@ApplicationScoped
public class ContractPublisher {
  private final Map<String, Emitter<String>> emitters;

  public ContractPublisher(
      @Channel("data-arrived-out") Emitter<String> dataArrived,
      @Channel("train-requested-out") Emitter<String> trainRequested,
      @Channel("model-trained-out") Emitter<String> modelTrained,
      @Channel("model-evaluated-out") Emitter<String> modelEvaluated,
      @Channel("model-promoted-out") Emitter<String> modelPromoted,
      @Channel("rollback-requested-out") Emitter<String> rollbackRequested,
      @Channel("training-progress-out") Emitter<String> trainingProgress) {
    this.emitters =
        Map.of(
            "data-arrived", dataArrived,
            "train-requested", trainRequested,
            "model-trained", modelTrained,
            "model-evaluated", modelEvaluated,
            "model-promoted", modelPromoted,
            "rollback-requested", rollbackRequested,
            "training-progress", trainingProgress);
  }

  /** Sends and completes when the broker acknowledged the record. */
  public CompletionStage<Void> send(Message<String> message, EventData data) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    emitters
        .get(EventTypes.of(data.getClass()).topic())
        .send(
            message
                .withAck(
                    () -> {
                      acked.complete(null);
                      return CompletableFuture.completedFuture(null);
                    })
                .withNack(
                    e -> {
                      acked.completeExceptionally(e);
                      return CompletableFuture.completedFuture(null);
                    }));
    return acked;
  }
}
