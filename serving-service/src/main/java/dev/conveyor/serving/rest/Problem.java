package dev.conveyor.serving.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An RFC 7807 problem detail, the body of every 4xx and 5xx this service returns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

  /** The media type. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** A problem response with {@code status}. */
  public static Response.ResponseBuilder response(int status, String title, String detail) {
    return Response.status(status)
        .type(MediaType.valueOf(MEDIA_TYPE))
        .entity(new Problem("about:blank", title, status, detail, null));
  }
}
