package dev.conveyor.registry.service;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/** At-least-once delivery made idempotent: an event whose natural key is stored changes nothing. */
final class Once {
  private Once() {}

  /** Runs {@code work} only when {@code existing} found no row for the event's key. */
  static Uni<Void> unlessFound(Uni<?> existing, Supplier<Uni<Void>> work) {
    return existing.chain(found -> found != null ? Uni.createFrom().voidItem() : work.get());
  }
}
