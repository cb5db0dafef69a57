package dev.conveyor.messaging;

import dev.conveyor.events.Topics;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Contract defaults for the topic-named channels a service lists in {@code
 * conveyor.channels.incoming} and {@code conveyor.channels.outgoing}, so no service repeats them:
 * incoming channels dead-letter to {@code <topic>.dlq}, start from the earliest offset, commit only
 * what was handled and leave CloudEvents parsing to {@link IncomingEvents} (strict, with reasons);
 * outgoing channels write binary mode. Ordinal 50: application.properties (250) overrides any.
 */
public final class ChannelDefaults implements ConfigSourceFactory {
  static final String INCOMING = "conveyor.channels.incoming";
  static final String OUTGOING = "conveyor.channels.outgoing";

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    Map<String, String> m = new HashMap<>();
    for (String topic : topics(context, INCOMING)) {
      String in = "mp.messaging.incoming." + topic + ".";
      m.put(in + "connector", "smallrye-kafka");
      m.put(in + "topic", topic);
      m.put(in + "failure-strategy", "dead-letter-queue");
      m.put(in + "dead-letter-queue.topic", Topics.dlq(topic));
      m.put(in + "cloud-events", "false");
      m.put(in + "auto.offset.reset", "earliest");
      m.put(in + "enable.auto.commit", "false");
    }
    for (String topic : topics(context, OUTGOING)) {
      String out = "mp.messaging.outgoing." + topic + ".";
      m.put(out + "connector", "smallrye-kafka");
      m.put(out + "topic", topic);
      m.put(out + "cloud-events-mode", "binary");
    }
    return List.of(new PropertiesConfigSource(m, "conveyor-channel-defaults", 50));
  }

  private static List<String> topics(ConfigSourceContext context, String key) {
    ConfigValue value = context.getValue(key);
    if (value == null || value.getValue() == null || value.getValue().isBlank()) {
      return List.of();
    }
    List<String> topics = Arrays.stream(value.getValue().split(",")).map(String::trim).toList();
    for (String t : topics) {
      if (!Topics.ALL.contains(t)) {
        throw new IllegalArgumentException(
            key + ": '" + t + "' is not a Conveyor topic " + Topics.ALL);
      }
    }
    return topics;
  }
}
