package dev.conveyor.registry.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conveyor.events.EventCodec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Column values as PostgreSQL stores them, so what is written reads back equal. */
public final class Columns {
  private Columns() {}

  /** Now, at the microsecond precision of {@code timestamptz}. */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /** {@code t} at the microsecond precision of {@code timestamptz}; null stays null. */
  public static Instant micros(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
  }

  /** An event's time, or now when the event has none. */
  public static Instant micros(Instant t, Instant fallback) {
    return t == null ? fallback : micros(t);
  }

  /** A value as JSON text, written by the contract's mapper. */
  public static String json(Object value) {
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
