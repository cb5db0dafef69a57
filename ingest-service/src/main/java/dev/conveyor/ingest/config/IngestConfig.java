package dev.conveyor.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything the ingest service is told: its sources, schedule, validation limits and retries. */
@ConfigMapping(prefix = "conveyor.ingest")
public interface IngestConfig {

  /** Sources by name ({@code conveyor.ingest.sources.<name>.*}). */
  Map<String, SourceConfig> sources();

  Schedule schedule();

  Validation validation();

  Retry retry();

  Publish publish();

  /** Share of records that go to test, in per mille of the hash space (100 = 10 %). */
  @WithDefault("100")
  int testPermille();

  /** Where pulls are staged before upload. */
  Optional<Path> workDir();

  /** One place to pull from. */
  interface SourceConfig {
    /** {@code http}, {@code s3} or {@code directory}. */
    String type();

    /** The dataset the records go to ({@code [a-z0-9][a-z0-9._-]*}). */
    String dataset();

    /** {@code qa} (prompt/completion pairs) or {@code text} (a corpus cut into windows). */
    @WithDefault("qa")
    String format();

    /** http: the feed URL. */
    Optional<String> url();

    /** http: query parameter that carries the stored cursor. */
    @WithDefault("since")
    String cursorParam();

    /** http: response header that carries the next cursor. */
    @WithDefault("X-Feed-Cursor")
    String cursorHeader();

    /** http: per-request timeout. */
    @WithDefault("60s")
    Duration timeout();

    /** s3: the inbox bucket. */
    Optional<String> bucket();

    /** s3: key prefix of the drop box; ingested objects move to {@code processed/<key>}. */
    Optional<String> prefix();

    /** directory: the folder; ingested files move to its {@code processed/} sub-folder. */
    Optional<Path> path();

    @WithDefault("true")
    boolean enabled();
  }

  /** When the daily pull runs. */
  interface Schedule {
    /** Quartz cron (with seconds), UTC; {@code off} disables the daily pull. */
    @WithDefault("0 0 2 * * ?")
    String cron();

    /** Run at start-up when the last daily pull was missed. */
    @WithDefault("true")
    @WithName("catch-up")
    boolean catchUp();
  }

  /** Record validation limits. */
  interface Validation {
    @WithDefault("2000")
    int maxPromptChars();

    @WithDefault("4000")
    int maxCompletionChars();

    /** Longest line/document of a text corpus before windowing. */
    @WithDefault("1000000")
    int maxTextChars();

    /** Text corpus window length. */
    @WithDefault("512")
    int windowChars();

    /** Text corpus window overlap. */
    @WithDefault("128")
    int overlapChars();

    /** A payload with more rejected records than this share (and at least 20) is garbage. */
    @WithDefault("0.5")
    double maxRejectRatio();
  }

  /** Retries of a failing pull, within one run. */
  interface Retry {
    @WithDefault("4")
    int maxAttempts();

    @WithDefault("2s")
    Duration initialBackoff();

    @WithDefault("2m")
    Duration maxBackoff();
  }

  /** The data-arrived outbox. */
  interface Publish {
    /** How long to wait for Kafka to acknowledge one event. */
    @WithDefault("30s")
    Duration ackTimeout();

    /** How often the outbox relay looks for unacknowledged versions (Quarkus scheduler syntax). */
    @WithDefault("15s")
    String relayEvery();

    /** The relay's first pass after start-up. */
    @WithDefault("2s")
    String relayDelay();

    /**
     * Test switch for the crash test: after the manifest is written and committed, block instead of
     * publishing, so the process can be killed there.
     */
    @WithDefault("false")
    boolean pauseBeforePublish();
  }
}
