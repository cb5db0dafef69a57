package dev.conveyor.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the trainer (prefix {@code conveyor.trainer}); env vars {@code CONVEYOR_TRAINER_*}.
 */
@ConfigMapping(prefix = "conveyor.trainer")
public interface TrainerConfig {

  /** {@code auto} (GPU when the engine sees one), {@code cpu}, {@code gpu} or {@code gpu:N}. */
  @WithDefault("auto")
  String device();

  /** Local scratch space for datasets, checkpoints and artifacts of the running job. */
  @WithDefault("${java.io.tmpdir}/conveyor-trainer")
  String workDir();

  /** A directory of {@code <model>.yaml} files that take precedence over the bundled ones. */
  Optional<String> modelsDir();

  /** Owner name written into a run's state; unique per live instance (default: the host name). */
  Optional<String> instanceId();

  /** Least time between two progress events (and log lines). */
  @WithDefault("2s")
  Duration progressInterval();

  /** A checkpoint is also written when this much time passed since the last one. */
  @WithDefault("10m")
  Duration checkpointEvery();

  /** How often the owner refreshes the heartbeat in {@code state.json}. */
  @WithDefault("10s")
  Duration heartbeatInterval();

  /** A {@code running} run whose heartbeat is older than this is taken over by another instance. */
  @WithDefault("60s")
  Duration leaseTimeout();

  /** Starts of one run (the first and each resume after a crash) before it is failed. */
  @WithDefault("3")
  int maxAttempts();
}
