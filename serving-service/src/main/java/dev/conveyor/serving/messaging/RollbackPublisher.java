package dev.conveyor.serving.messaging;

import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.RollbackRequested;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.messaging.OutgoingEvents;
import dev.conveyor.serving.service.ModelIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/** Publishes {@code rollback-requested} when the post-swap watch gives up on a model. */
@ApplicationScoped
public class RollbackPublisher {

  private static final Logger LOG = Logger.getLogger(RollbackPublisher.class);

  private final Emitter<String> emitter;

  public RollbackPublisher(@Channel(Topics.ROLLBACK_REQUESTED) Emitter<String> emitter) {
    this.emitter = emitter;
  }

  /** Sends the event; a send failure is logged (the local rollback already happened). */
  public void publish(RollbackRequested event, ModelIdentity model) {
    Map<String, String> ext = new HashMap<>();
    ext.put(CloudEventAttributes.MODEL_VERSION, model.name() + ":" + model.version());
    if (model.datasetDigest() != null) {
      ext.put(CloudEventAttributes.DATASET_DIGEST, model.datasetDigest());
    }
    emitter.send(
        OutgoingEvents.message(event, Sources.SERVING, ext)
            .withNack(
                e -> {
                  LOG.errorf(e, "could not publish rollback-requested %s", event.requestId());
                  return CompletableFuture.completedFuture(null);
                }));
  }
}
