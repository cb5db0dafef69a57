package dev.conveyor.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of a service's REST API as {@code application/problem+json}. Quarkus REST picks these
 * up from this jar (it has a beans.xml); a service adds mappers for its own exception types beside
 * them, never a second one for a type mapped here.
 */
public class ProblemMappers {
  /** The {@code WWW-Authenticate} challenge a 401 carries. */
  public static final String CHALLENGE = "Basic realm=\"conveyor\"";

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    return respond(e.status(), e.title(), e.getMessage(), uri);
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e, UriInfo uri) {
    return Problem.response(
            401, "Unauthorized", "admin credentials (HTTP Basic) are required", instance(uri))
        .header("WWW-Authenticate", CHALLENGE)
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return respond(403, "Forbidden", "this operation needs the admin role", uri);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    if (e.getCause() instanceof JsonProcessingException j) {
      return json(j, uri);
    }
    int status = e.getResponse().getStatus();
    return respond(status, Problem.title(status), e.getMessage(), uri);
  }

  // quarkus-rest-jackson maps the subtypes itself (as application/json): ours name them as well
  @ServerExceptionMapper({
    JsonProcessingException.class,
    JsonParseException.class,
    MismatchedInputException.class,
    InvalidFormatException.class,
    ValueInstantiationException.class
  })
  public Response json(JsonProcessingException e, UriInfo uri) {
    return respond(400, "Malformed JSON", e.getOriginalMessage(), uri);
  }

  /** Anything else is a bug: the log gets the stack trace, the client only a reference to it. */
  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    String ref = UUID.randomUUID().toString().substring(0, 8);
    LOG.errorf(e, "unexpected failure on %s (ref %s)", instance(uri), ref);
    return respond(
        500, "Internal Server Error", "the request failed unexpectedly (ref " + ref + ")", uri);
  }

  private static Response respond(int status, String title, String detail, UriInfo uri) {
    return Problem.response(status, title, detail, instance(uri)).build();
  }

  private static String instance(UriInfo uri) {
    return uri == null ? null : uri.getRequestUri().getPath();
  }
}
