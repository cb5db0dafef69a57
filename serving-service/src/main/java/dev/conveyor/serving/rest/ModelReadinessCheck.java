package dev.conveyor.serving.rest;

import dev.conveyor.serving.service.ModelSlot;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once a model is loaded: a replica without one must get no traffic. */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

  private final ModelSlot slot;

  public ModelReadinessCheck(ModelSlot slot) {
    this.slot = slot;
  }

  @Override
  public HealthCheckResponse call() {
    var b = HealthCheckResponse.named("model loaded");
    return slot.current()
        .map(m -> b.up().withData("model", m.identity().label()).build())
        .orElseGet(() -> b.down().withData("model", "none").build());
  }
}
