package dev.conveyor.serving.rest;

import dev.conveyor.serving.service.GenerationTask;
import dev.conveyor.serving.service.ServingException;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * Cancels a request's generation when its client hangs up, so its row stops costing decode steps.
 */
final class HangUp {
  private HangUp() {}

  /**
   * Cancels {@code task} if the connection of {@code http} closes before the answer is sent.
   * Quarkus REST neither cancels a pending {@code Uni} nor wakes a blocked worker when the client
   * leaves; the batch thread drops a cancelled row at its next step.
   */
  static GenerationTask cancelsOnClose(RoutingContext http, GenerationTask task) {
    if (http != null) {
      http.addEndHandler(
          end -> {
            if (end.failed()) {
              task.result().cancel(false);
            }
          });
    }
    return task;
  }

  /** True once the connection of {@code http} is closed. */
  static BooleanSupplier closed(RoutingContext http) {
    return () -> http != null && http.response().closed();
  }

  /**
   * What a worker still waiting for a cancelled task throws: the client is gone, nobody reads it.
   */
  static ServingException gone() {
    return new ServingException(499, "Client Closed Request", "the client hung up");
  }
}
