package dev.conveyor.evaluator.service;

/** An artifact that cannot be evaluated; the message is the reason the verdict reports. */
public class ArtifactRejectedException extends RuntimeException {
  public ArtifactRejectedException(String message) {
    super(message);
  }

  public ArtifactRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
