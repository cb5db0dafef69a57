package dev.conveyor.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ProblemTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ProblemMappers mappers = new ProblemMappers();

  @Test
  void theBodyIsRfc9457MembersInOrderWithoutNulls() throws Exception {
    Problem full = Problem.of(409, "Conflict", "v3 is already the champion", "/models/m/v/3");
    assertEquals(
        "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,"
            + "\"detail\":\"v3 is already the champion\",\"instance\":\"/models/m/v/3\"}",
        JSON.writeValueAsString(full));
    assertEquals(full, JSON.readValue(JSON.writeValueAsString(full), Problem.class));

    assertEquals(
        "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503}",
        JSON.writeValueAsString(Problem.of(503, null, null, null)));
  }

  @Test
  void aMissingTitleFallsBackToTheStatusPhrase() {
    assertEquals("Not Found", Problem.of(404, " ", "x", null).title());
    assertEquals("Too Many Requests", Problem.title(429));
    assertEquals("Client Error", Problem.title(422));
    assertEquals("Server Error", Problem.title(599));
    assertEquals("Error", Problem.title(399));
  }

  @Test
  void theBuilderSetsStatusMediaTypeAndBodyAndTakesHeaders() {
    Response r =
        Problem.response(429, "Too many requests", "queue full").header("X-A", "1").build();
    assertEquals(429, r.getStatus());
    assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
    assertEquals("1", r.getHeaderString("X-A"));
    assertEquals(
        new Problem("about:blank", "Too many requests", 429, "queue full", null), r.getEntity());
  }

  @Test
  void aProblemExceptionKeepsItsStatusTitleAndDetail() {
    Problem p = body(mappers.problem(ProblemException.conflict("already archived"), null));
    assertEquals(new Problem("about:blank", "Conflict", 409, "already archived", null), p);
    assertEquals(404, body(mappers.problem(ProblemException.notFound("no"), null)).status());
    assertEquals(
        "Bad Request", body(mappers.problem(ProblemException.badRequest("b"), null)).title());
  }

  @Test
  void webExceptionsKeepTheirStatusUnlessTheCauseIsBrokenJson() {
    Problem notFound = body(mappers.web(new NotFoundException("no such path"), null));
    assertEquals(404, notFound.status());
    assertEquals("Not Found", notFound.title());
    assertEquals("no such path", notFound.detail());

    assertEquals("Client Error", body(mappers.web(new WebApplicationException(422), null)).title());

    JsonParseException cause = new JsonParseException(null, "Unexpected end-of-input");
    Response broken = mappers.web(new BadRequestException("unreadable", cause), null);
    assertEquals(400, broken.getStatus());
    assertEquals(Problem.MEDIA_TYPE, broken.getMediaType().toString());
    assertEquals("Malformed JSON", body(broken).title());
    assertEquals("Unexpected end-of-input", body(broken).detail());
  }

  @Test
  void unauthorizedChallengesForBasicCredentials() {
    Response r = mappers.unauthorized(new AuthenticationFailedException("bad password"), null);
    assertEquals(401, r.getStatus());
    assertEquals("Basic realm=\"conveyor\"", r.getHeaderString("WWW-Authenticate"));
    assertFalse(body(r).detail().contains("bad password"));
  }

  @Test
  void anUnexpectedFailureIs500AndDoesNotLeakItsMessage() {
    Response r =
        mappers.unexpected(new IllegalStateException("jdbc://db:5432 password=hunter2"), null);
    Problem p = body(r);
    assertEquals(500, r.getStatus());
    assertEquals("Internal Server Error", p.title());
    assertFalse(p.detail().contains("hunter2"), p.detail());
    assertFalse(p.detail().contains("IllegalStateException"), p.detail());
    assertTrue(p.detail().matches(".*\\(ref [0-9a-f]{8}\\)"), p.detail());
    assertNull(p.instance());
  }

  private static Problem body(Response r) {
    return (Problem) r.getEntity();
  }
}
