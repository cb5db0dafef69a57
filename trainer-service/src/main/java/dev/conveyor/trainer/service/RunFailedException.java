package dev.conveyor.trainer.service;

/** A run failed for a reason a person can act on (bad data, bad base model, ...). */
public class RunFailedException extends RuntimeException {
  public RunFailedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
