package dev.conveyor.registry.rest;

import dev.conveyor.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The registry's own error mappings, beside the shared {@link dev.conveyor.web.ProblemMappers}: a
 * version number that does not parse is the client's fault, not a 500.
 */
public class RegistryMappers {

  @ServerExceptionMapper
  public Response badNumber(NumberFormatException e, UriInfo uri) {
    return Problem.response(
            400, "Bad Request", "not a number: " + e.getMessage(), uri.getRequestUri().getPath())
        .build();
  }
}
