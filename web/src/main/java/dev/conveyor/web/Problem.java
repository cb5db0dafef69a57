package dev.conveyor.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem detail, the body of every 4xx and 5xx a Conveyor service returns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

  /** The media type of a problem body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** The type of every problem here: the status code and title say all there is. */
  public static final String ABOUT_BLANK = "about:blank";

  private static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);

  /** A problem of type {@code about:blank}; a blank title falls back to the status's phrase. */
  public static Problem of(int status, String title, String detail, String instance) {
    return new Problem(
        ABOUT_BLANK,
        title == null || title.isBlank() ? title(status) : title,
        status,
        detail,
        instance);
  }

  /** A problem response builder (headers may still be added) without an instance. */
  public static Response.ResponseBuilder response(int status, String title, String detail) {
    return response(status, title, detail, null);
  }

  /** A problem response builder for the request at path {@code instance} (may be null). */
  public static Response.ResponseBuilder response(
      int status, String title, String detail, String instance) {
    return Response.status(status).type(MEDIA).entity(of(status, title, detail, instance));
  }

  /** The reason phrase of {@code status}, or a family-wide title for codes JAX-RS does not name. */
  public static String title(int status) {
    Response.Status known = Response.Status.fromStatusCode(status);
    if (known != null) {
      return known.getReasonPhrase();
    }
    return switch (Response.Status.Family.familyOf(status)) {
      case CLIENT_ERROR -> "Client Error";
      case SERVER_ERROR -> "Server Error";
      default -> "Error";
    };
  }
}
