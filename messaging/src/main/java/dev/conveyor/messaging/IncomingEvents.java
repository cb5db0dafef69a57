package dev.conveyor.messaging;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventType;
import dev.conveyor.events.InvalidEventException;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads a Kafka message as a Conveyor event, strictly: headers, type and data are checked by the
 * contract, and any violation is an {@link InvalidEventException} that the caller nacks so the
 * record lands in {@code <topic>.dlq} with the reason.
 */
public final class IncomingEvents {
  private IncomingEvents() {}

  /** The event in {@code message}, which must be of {@code type}. */
  @SuppressWarnings("unchecked")
  public static <T extends EventData> CloudEvent<T> read(
      Message<String> message, EventType<T> type) {
    IncomingKafkaRecordMetadata<?, ?> kafka =
        message
            .getMetadata(IncomingKafkaRecordMetadata.class)
            .orElseThrow(() -> new InvalidEventException("not a Kafka record"));
    CloudEvent<?> event =
        CloudEventHeaders.read(kafka.getTopic(), headers(kafka), message.getPayload());
    if (!type.dataClass().isInstance(event.data())) {
      throw new InvalidEventException(
          "expected " + type.ceType() + " but got " + event.meta().type());
    }
    return (CloudEvent<T>) event;
  }

  /**
   * Reads {@code message} as {@code type} and hands it to {@code handler}; a contract violation or
   * a handler failure nacks the message (SmallRye then writes it to the DLQ with the reason).
   */
  public static <T extends EventData> CompletionStage<Void> handle(
      Message<String> message,
      EventType<T> type,
      Function<CloudEvent<T>, CompletionStage<Void>> handler) {
    CloudEvent<T> event;
    try {
      event = read(message, type);
    } catch (InvalidEventException e) {
      return message.nack(e);
    }
    CompletionStage<Void> done;
    try {
      done = handler.apply(event);
    } catch (RuntimeException e) {
      return message.nack(e);
    }
    return done.handle(
            (ok, failure) -> failure == null ? message.ack() : message.nack(unwrap(failure)))
        .thenCompose(stage -> stage);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** The record's headers as strings (the last value wins for a repeated header). */
  public static Map<String, String> headers(IncomingKafkaRecordMetadata<?, ?> kafka) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : kafka.getHeaders()) {
      headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }
}
