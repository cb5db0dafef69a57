package dev.conveyor.cli.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.events.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The few JSON calls the command line makes to the services. */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  /** A response: status and parsed JSON body (null when the body is not JSON). */
  public record Response(int status, JsonNode json, String body) {
    public boolean ok() {
      return status / 100 == 2;
    }

    /** The problem+json detail (or the body) for an error message. */
    public String problem() {
      if (json != null && json.hasNonNull("detail")) {
        return json.get("detail").asText();
      }
      return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
  }

  public static Response get(String url, String adminPassword) throws IOException {
    return send(request(url, adminPassword).GET(), Duration.ofSeconds(30));
  }

  public static Response post(String url, Object body, String adminPassword, Duration timeout)
      throws IOException {
    String json;
    try {
      json = body == null ? "" : EventCodec.mapper().writeValueAsString(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(e);
    }
    return send(
        request(url, adminPassword)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        timeout);
  }

  private static HttpRequest.Builder request(String url, String adminPassword) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (adminPassword != null) {
      String token =
          Base64.getEncoder()
              .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
      b.header("Authorization", "Basic " + token);
    }
    return b;
  }

  private static Response send(HttpRequest.Builder b, Duration timeout) throws IOException {
    try {
      HttpResponse<String> r =
          CLIENT.send(b.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = r.body().isBlank() ? null : EventCodec.mapper().readTree(r.body());
      } catch (IOException notJson) {
        json = null;
      }
      return new Response(r.statusCode(), json, r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
