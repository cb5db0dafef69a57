package dev.conveyor.web;

/**
 * A request a service refuses, with its HTTP status and problem title; the message is the detail.
 * {@link ProblemMappers} writes it as {@code application/problem+json}.
 */
public class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String title;

  public ProblemException(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  /** 400 Bad Request. */
  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }

  /** 404 Not Found. */
  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "Not Found", detail);
  }

  /** 409 Conflict. */
  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "Conflict", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
