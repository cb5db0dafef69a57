package dev.conveyor.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The registry's own settings ({@code conveyor.registry.*}). */
@ConfigMapping(prefix = "conveyor.registry")
public interface RegistryConfig {

  /** The transactional outbox's relay. */
  Outbox outbox();

  /** How committed {@code model-promoted} rows leave the outbox. */
  interface Outbox {
    /** False keeps events in the outbox (the kill test uses it to simulate a crash). */
    @WithDefault("true")
    boolean relayEnabled();

    /** Rows claimed and sent per transaction. */
    @WithDefault("100")
    int batchSize();

    /**
     * How often the relay looks for rows a trigger missed. Read by the {@code @Scheduled}
     * expression under the same key; mapped here so the key is typed and documented.
     */
    @WithDefault(POLL_INTERVAL)
    Duration pollInterval();

    /** Wait after start before the first poll. */
    @WithDefault(POLL_DELAY)
    Duration pollDelay();
  }

  /** Default of {@code conveyor.registry.outbox.poll-interval}. */
  String POLL_INTERVAL = "2s";

  /** Default of {@code conveyor.registry.outbox.poll-delay}. */
  String POLL_DELAY = "5s";
}
