package dev.conveyor.serving.service;

/** A request the service refuses; the REST layer turns it into problem+json with this status. */
public class ServingException extends RuntimeException {

  private final int status;
  private final String title;

  public ServingException(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
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

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
