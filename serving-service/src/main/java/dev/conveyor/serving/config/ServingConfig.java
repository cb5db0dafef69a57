package dev.conveyor.serving.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything the serving service can be tuned with ({@code conveyor.serving.*}). */
@ConfigMapping(prefix = "conveyor.serving")
public interface ServingConfig {

  /** The registered model this replica serves; promotions of other models are ignored. */
  @WithDefault("qa")
  String modelName();

  /** Registry base URL; when set, start-up loads the current champion from it. */
  Optional<String> registryUrl();

  /** Where downloaded artifacts are unpacked (a temporary directory when unset). */
  Optional<Path> workDir();

  /** Request limits. */
  Limits limits();

  /** Batching of concurrent requests. */
  Batching batching();

  /** Checks a new model must pass before it is swapped in. */
  Smoke smoke();

  /** The post-swap watch. */
  Watch watch();

  /** Request limits. */
  interface Limits {
    /** Longest prompt in characters. */
    @WithDefault("4000")
    int maxPromptChars();

    /** Longest prompt in tokens (after the prompt template). */
    @WithDefault("192")
    int maxPromptTokens();

    /** Most tokens one request may ask for. */
    @WithDefault("256")
    int maxTokens();

    /** Tokens generated when a request does not say. */
    @WithDefault("64")
    int defaultMaxTokens();

    /** Most stop sequences per request. */
    @WithDefault("4")
    int maxStopSequences();

    /** A request that has not finished after this gets 504. */
    @WithDefault("30s")
    Duration requestTimeout();

    /** Requests waiting for a batch slot; one more gets 429. */
    @WithDefault("64")
    int queueCapacity();

    /** Retry-After seconds sent with 429 and 503. */
    @WithDefault("1")
    int retryAfterSeconds();
  }

  /** Batching of concurrent requests. */
  interface Batching {
    /** False decodes one request at a time (the benchmark's baseline). */
    @WithDefault("true")
    boolean enabled();

    /** Most requests decoded together. */
    @WithDefault("16")
    int maxBatchSize();

    /** How long an under-full batch waits for the requests recent demand says are coming. */
    @WithDefault("20ms")
    Duration maxWait();
  }

  /** Warm-up and golden smoke test of a new model. */
  interface Smoke {
    /** Golden prompts taken from the test split of the model's dataset. */
    @WithDefault("4")
    int maxPrompts();

    /** Golden prompts used only when an artifact names no dataset. */
    @WithDefault("What is Conveyor?,1234,hello")
    List<String> prompts();

    /** Tokens generated per golden prompt. */
    @WithDefault("8")
    int maxTokens();

    /** The whole smoke test must finish within this. */
    @WithDefault("20s")
    Duration timeout();
  }

  /** Watch of a freshly swapped model; the previous one stays warm meanwhile. */
  interface Watch {
    /** How long after a swap the new model is watched; 0 disables the watch. */
    @WithDefault("60s")
    Duration window();

    /** Error rate above which the new model is rolled back. */
    @WithDefault("0.05")
    double maxErrorRate();

    /** p99 request latency above which the new model is rolled back. */
    @WithName("max-p99")
    @WithDefault("10s")
    Duration maxP99();

    /** Requests the new model must have answered before the watch judges it. */
    @WithDefault("20")
    int minSamples();
  }
}
