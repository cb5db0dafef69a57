package dev.conveyor.trainer.messaging;

import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Topics;
import dev.conveyor.messaging.IncomingEvents;
import dev.conveyor.trainer.service.TrainerService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code train-requested}. Returns at once: the stage completes when the run is terminal,
 * and SmallRye delivers the next record only then (one job per instance); a record that breaks the
 * contract is nacked to {@code train-requested.dlq}.
 */
@ApplicationScoped
public class TrainRequestListener {
  private final TrainerService trainer;

  public TrainRequestListener(TrainerService trainer) {
    this.trainer = trainer;
  }

  @Incoming(Topics.TRAIN_REQUESTED)
  public CompletionStage<Void> on(Message<String> message) {
    return IncomingEvents.handle(message, EventTypes.TRAIN_REQUESTED, trainer::accept);
  }
}
