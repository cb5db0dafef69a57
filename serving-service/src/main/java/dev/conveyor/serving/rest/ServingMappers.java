package dev.conveyor.serving.rest;

import dev.conveyor.serving.config.ServingConfig;
import dev.conveyor.serving.service.ServingException;
import dev.conveyor.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A refused request as problem+json; 429 and 503 say when to retry. Every other error is mapped by
 * the shared {@link dev.conveyor.web.ProblemMappers}.
 */
public class ServingMappers {

  private final ServingConfig config;

  public ServingMappers(ServingConfig config) {
    this.config = config;
  }

  @ServerExceptionMapper
  public Response serving(ServingException e, UriInfo uri) {
    Response.ResponseBuilder b =
        Problem.response(e.status(), e.title(), e.getMessage(), uri.getRequestUri().getPath());
    if (e.status() == 429 || e.status() == 503) {
      b.header("Retry-After", config.limits().retryAfterSeconds());
    }
    return b.build();
  }
}
