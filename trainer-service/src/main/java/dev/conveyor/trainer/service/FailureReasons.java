package dev.conveyor.trainer.service;

import dev.conveyor.model.artifact.ArtifactException;
import dev.conveyor.model.train.DivergenceException;

/** Turns what stopped a run into the {@code reason} of a failed {@code model-trained}. */
final class FailureReasons {
  private FailureReasons() {}

  static String of(Throwable t) {
    if (t instanceof InvalidConfigException) {
      return "bad config: " + t.getMessage();
    }
    if (t instanceof RunFailedException) {
      return t.getMessage();
    }
    if (t instanceof DivergenceException) {
      return "diverged: " + t.getMessage();
    }
    if (t instanceof ArtifactException) {
      return "bad base model: " + t.getMessage();
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError
          || (c.getMessage() != null && c.getMessage().toLowerCase().contains("out of memory"))) {
        return "out of memory: " + c.getMessage();
      }
    }
    return "training failed: " + t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
