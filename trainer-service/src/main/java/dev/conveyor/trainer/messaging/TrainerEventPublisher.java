package dev.conveyor.trainer.messaging;

import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainingProgress;
import dev.conveyor.messaging.OutgoingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes {@code model-trained} (waiting for the broker) and {@code training-progress}. */
@ApplicationScoped
public class TrainerEventPublisher {
  private final Emitter<String> trained;
  private final Emitter<String> progress;

  public TrainerEventPublisher(
      @Channel(Topics.MODEL_TRAINED) Emitter<String> trained,
      @Channel(Topics.TRAINING_PROGRESS) Emitter<String> progress) {
    this.trained = trained;
    this.progress = progress;
  }

  /** Sends the event with exactly these attributes; completes when the broker acknowledged it. */
  public CompletionStage<Void> modelTrained(ModelTrained data, CloudEventMeta meta) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Message<String> message =
        OutgoingEvents.message(data, meta)
            .withAck(
                () -> {
                  done.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                failure -> {
                  done.completeExceptionally(failure);
                  return CompletableFuture.completedFuture(null);
                });
    trained.send(message);
    return done;
  }

  /** Fire and forget: progress is advisory and throttled by the caller. */
  public void progress(TrainingProgress data) {
    progress.send(
        OutgoingEvents.message(
            data, Sources.TRAINER, Map.of(CloudEventAttributes.RUN_ID, data.runId())));
  }
}
