package dev.conveyor.serving.messaging;

import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.Topics;
import dev.conveyor.messaging.IncomingEvents;
import dev.conveyor.serving.service.ModelSource;
import dev.conveyor.serving.service.SwapService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Every replica receives every promotion (its own consumer group, see application.properties) and
 * swaps to it. A refused model nacks the record, so it lands in {@code model-promoted.dlq} with the
 * reason: the failure event next to the log line and the metric.
 */
@ApplicationScoped
public class PromotionListener {

  private final SwapService swaps;

  public PromotionListener(SwapService swaps) {
    this.swaps = swaps;
  }

  @Incoming(Topics.MODEL_PROMOTED)
  CompletionStage<Void> onPromoted(Message<String> message) {
    long received = System.nanoTime();
    return IncomingEvents.handle(
        message,
        EventTypes.MODEL_PROMOTED,
        event -> {
          ModelPromoted p = event.data();
          return swaps
              .promote(
                  new ModelSource(p.model(), p.version(), p.artifact(), p.datasetDigest()),
                  received)
              .thenApply(outcome -> null);
        });
  }
}
