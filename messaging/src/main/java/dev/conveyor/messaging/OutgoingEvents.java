package dev.conveyor.messaging;

import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventTypes;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.ZoneOffset;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Builds the SmallRye message for an event: JSON data, Kafka key by the contract's rule, and every
 * CloudEvents attribute written as {@code ce_*} headers by the connector's binary mode.
 */
public final class OutgoingEvents {
  private OutgoingEvents() {}

  /** A new event from {@code source}, with optional Conveyor extensions (null values skipped). */
  public static Message<String> message(
      EventData data, String source, Map<String, String> extensions) {
    CloudEventMeta meta = CloudEventMeta.create(EventTypes.of(data.getClass()), source);
    for (Map.Entry<String, String> e : extensions.entrySet()) {
      meta = meta.withExtension(e.getKey(), e.getValue());
    }
    return message(data, meta);
  }

  /** A message for an event whose attributes are already decided (e.g. a re-publish). */
  public static Message<String> message(EventData data, CloudEventMeta meta) {
    var ce =
        OutgoingCloudEventMetadata.<String>builder()
            .withId(meta.id())
            .withSource(java.net.URI.create(meta.source()))
            .withType(meta.type())
            .withDataContentType("application/json")
            .withTimestamp(meta.time() == null ? null : meta.time().atZone(ZoneOffset.UTC))
            .withSubject(meta.subject());
    meta.extensions().forEach(ce::withExtension);
    var kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(data.key()).build();
    return Message.of(EventCodec.encode(data), Metadata.of(ce.build(), kafka));
  }
}
