package dev.conveyor.trainer.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every 4xx/5xx of the API as problem+json, 401 and 403 of the admin endpoints included. */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    return respond(e.status(), e.title(), e.getMessage(), uri);
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e, UriInfo uri) {
    return Response.fromResponse(
            respond(401, "Unauthorized", "admin credentials (HTTP Basic) are required", uri))
        .header("WWW-Authenticate", "Basic realm=\"conveyor\"")
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return respond(403, "Forbidden", "this operation needs the admin role", uri);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    return respond(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(), uri);
  }

  static Response respond(int status, String title, String detail, UriInfo uri) {
    return respond(status, title, detail, uri == null ? null : uri.getPath());
  }

  static Response respond(int status, String title, String detail, String instance) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(new Problem("about:blank", title, status, detail, instance))
        .build();
  }
}
