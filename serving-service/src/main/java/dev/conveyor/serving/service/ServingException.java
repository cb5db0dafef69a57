package dev.conveyor.serving.service;

import dev.conveyor.web.ProblemException;

/**
 * A request the service refuses: the shared problem+json exception with the serving API's own
 * titles; the REST layer adds {@code Retry-After} to 429 and 503.
 */
public class ServingException extends ProblemException {
  private static final long serialVersionUID = 1L;

  public ServingException(int status, String title, String detail) {
    super(status, title, detail);
  }

  /** 400 with {@code detail}. */
  public static ServingException badRequest(String detail) {
    return new ServingException(400, "Invalid request", detail);
  }

  /** 429: the queue is full. */
  public static ServingException queueFull(int capacity) {
    return new ServingException(
        429, "Too many requests", "the request queue is full (" + capacity + " waiting)");
  }

  /** 503: nothing is loaded yet. */
  public static ServingException noModel() {
    return new ServingException(503, "No model loaded", "no model is loaded yet");
  }

  /** 504: the request ran past its timeout. */
  public static ServingException timeout(long millis) {
    return new ServingException(
        504, "Request timed out", "the request did not finish within " + millis + " ms");
  }
}
