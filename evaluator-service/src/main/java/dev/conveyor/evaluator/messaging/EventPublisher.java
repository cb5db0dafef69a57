package dev.conveyor.evaluator.messaging;

import dev.conveyor.events.EventData;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.messaging.OutgoingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes model-evaluated and train-requested and waits for the broker's acknowledgement, so a
 * triggering event is acknowledged only after what it caused is durably written.
 */
@ApplicationScoped
public class EventPublisher {
  private static final long ACK_TIMEOUT_SECONDS = 60;
  private final Emitter<String> evaluated;
  private final Emitter<String> trainRequested;

  public EventPublisher(
      @Channel(Topics.MODEL_EVALUATED) Emitter<String> evaluated,
      @Channel(Topics.TRAIN_REQUESTED) Emitter<String> trainRequested) {
    this.evaluated = evaluated;
    this.trainRequested = trainRequested;
  }

  /** Publishes a model-evaluated; blocks until Kafka acknowledged it. */
  public void evaluated(EventData data, Map<String, String> extensions) {
    send(evaluated, data, extensions);
  }

  /** Publishes a train-requested; blocks until Kafka acknowledged it. */
  public void trainRequested(EventData data, Map<String, String> extensions) {
    send(trainRequested, data, extensions);
  }

  private static void send(Emitter<String> emitter, EventData data, Map<String, String> ext) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    Message<String> m =
        OutgoingEvents.message(data, Sources.EVALUATOR, ext)
            .withAck(
                () -> {
                  acked.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                failure -> {
                  acked.completeExceptionally(failure);
                  return CompletableFuture.completedFuture(null);
                });
    emitter.send(m);
    try {
      acked.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not acknowledge " + data.getClass().getSimpleName() + ": " + e.getMessage(),
          e);
    }
  }
}
