package dev.conveyor.trainer.service;

/** The merged configuration of a run is unusable; the message names the key and the problem. */
public class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String message) {
    super(message);
  }
}
