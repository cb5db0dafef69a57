package dev.conveyor.trainer.messaging;

import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventData;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.events.TrainingProgress;
import dev.conveyor.messaging.OutgoingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes {@code model-trained} (waiting for the broker), {@code training-progress}, and the
 * {@code train-requested} of {@code POST /runs} (waiting for the broker).
 */
@ApplicationScoped
public class TrainerEventPublisher {
  /**
   * The outgoing channel of the {@code train-requested} topic. SmallRye refuses one channel name
   * for both directions (SRMSG00073) and this service consumes {@code train-requested}, so the
   * channel is configured by hand in application.properties instead of by ChannelDefaults.
   */
  public static final String TRAIN_REQUESTED_OUT = "train-requested-out";

  private final Emitter<String> trained;
  private final Emitter<String> progress;
  private final Emitter<String> requested;

  public TrainerEventPublisher(
      @Channel(Topics.MODEL_TRAINED) Emitter<String> trained,
      @Channel(Topics.TRAINING_PROGRESS) Emitter<String> progress,
      @Channel(TRAIN_REQUESTED_OUT) Emitter<String> requested) {
    this.trained = trained;
    this.progress = progress;
    this.requested = requested;
  }

  /** Sends the event with exactly these attributes; completes when the broker acknowledged it. */
  public CompletionStage<Void> modelTrained(ModelTrained data, CloudEventMeta meta) {
    return sendAcknowledged(trained, data, meta);
  }

  /** Sends a training request; completes when the broker acknowledged it. */
  public CompletionStage<Void> trainRequested(TrainRequested data, CloudEventMeta meta) {
    return sendAcknowledged(requested, data, meta);
  }

  private static CompletionStage<Void> sendAcknowledged(
      Emitter<String> emitter, EventData data, CloudEventMeta meta) {
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
    emitter.send(message);
    return done;
  }

  /** Fire and forget: progress is advisory and throttled by the caller. */
  public void progress(TrainingProgress data) {
    progress.send(
        OutgoingEvents.message(
            data, Sources.TRAINER, Map.of(CloudEventAttributes.RUN_ID, data.runId())));
  }
}
