package dev.conveyor.model.train;

/** Receives training progress (on the training thread; keep it fast). */
@FunctionalInterface
public interface ProgressListener {

  /** Called after each step. */
  void onProgress(TrainingProgress progress);

  /** Called after a checkpoint was written to {@code directory}. */
  default void onCheckpoint(long step, java.nio.file.Path directory) {}

  /** A listener that ignores everything. */
  static ProgressListener none() {
    return p -> {};
  }
}
