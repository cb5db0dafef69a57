package dev.conveyor.serving.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.conveyor.serving.config.ServingConfig;
import dev.conveyor.serving.service.ServingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as application/problem+json; 429 and 503 say when to retry. */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  private final ServingConfig config;

  public ProblemMappers(ServingConfig config) {
    this.config = config;
  }

  @ServerExceptionMapper
  public Response serving(ServingException e) {
    Response.ResponseBuilder b = Problem.response(e.status(), e.title(), e.getMessage());
    if (e.status() == 429 || e.status() == 503) {
      b.header("Retry-After", config.limits().retryAfterSeconds());
    }
    return b.build();
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e) {
    return Problem.response(400, "Malformed JSON", e.getOriginalMessage()).build();
  }

  // quarkus-rest-jackson maps these subtypes itself (as application/json): ours must be as specific

  @ServerExceptionMapper
  public Response parse(JsonParseException e) {
    return json(e);
  }

  @ServerExceptionMapper
  public Response mismatch(MismatchedInputException e) {
    return json(e);
  }

  @ServerExceptionMapper
  public Response format(InvalidFormatException e) {
    return json(e);
  }

  @ServerExceptionMapper
  public Response instantiation(ValueInstantiationException e) {
    return json(e);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    Throwable cause = e.getCause();
    if (cause instanceof JsonProcessingException j) {
      return json(j);
    }
    return Problem.response(
            status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage())
        .build();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("request failed", e);
    return Problem.response(
            500, "Internal error", "the request failed: " + e.getClass().getSimpleName())
        .build();
  }
}
