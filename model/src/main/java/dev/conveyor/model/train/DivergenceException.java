package dev.conveyor.model.train;

/** Training stopped because the loss or gradient norm became non-finite or exploded. */
public class DivergenceException extends RuntimeException {

  private final long step;

  public DivergenceException(long step, String message) {
    super("training diverged at step " + step + ": " + message);
    this.step = step;
  }

  /** The step (1-based) at which divergence was detected. */
  public long step() {
    return step;
  }
}
