package dev.conveyor.registry.service;

/**
 * A request the registry refuses, with the HTTP status and an RFC 9457 title and detail; the REST
 * layer writes it as {@code application/problem+json}.
 */
public class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String title;

  public Problem(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not Found", detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
