package dev.conveyor.registry.rest;

import dev.conveyor.registry.service.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the API as RFC 9457 {@code application/problem+json}. */
public class ProblemMappers {
  public static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  /** A problem document. */
  public static Response problem(int status, String title, String detail, UriInfo uri) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    if (uri != null) {
      body.put("instance", uri.getRequestUri().getPath());
    }
    return Response.status(status).type(PROBLEM_JSON).entity(body).build();
  }

  @ServerExceptionMapper
  public Response registry(Problem p, UriInfo uri) {
    return problem(p.status(), p.title(), p.getMessage(), uri);
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e, UriInfo uri) {
    return Response.fromResponse(
            problem(401, "Unauthorized", "an admin credential is required (HTTP Basic)", uri))
        .header("WWW-Authenticate", "Basic realm=\"conveyor-registry\"")
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return problem(403, "Forbidden", "this action needs the admin role", uri);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Error"
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    return problem(status, title, e.getMessage(), uri);
  }

  @ServerExceptionMapper
  public Response badNumber(NumberFormatException e, UriInfo uri) {
    return problem(400, "Bad Request", "not a number: " + e.getMessage(), uri);
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    LOG.error("unexpected failure on " + (uri == null ? "?" : uri.getRequestUri()), e);
    return problem(500, "Internal Server Error", e.toString(), uri);
  }
}
