package dev.conveyor.serving.service;

/** A model that failed a step before the swap (download, digest, unpack, load, warm-up, smoke). */
public class ModelRefusedException extends RuntimeException {

  private final String step;

  public ModelRefusedException(String step, String reason, Throwable cause) {
    super(step + ": " + reason, cause);
    this.step = step;
  }

  /** The step that failed. */
  public String step() {
    return step;
  }
}
