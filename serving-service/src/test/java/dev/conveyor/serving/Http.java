package dev.conveyor.serving;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A JDK HTTP client for concurrent load and for reading Server-Sent Events line by line. */
final class Http {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private Http() {}

  static CompletableFuture<HttpResponse<String>> postAsync(URI uri, String json) {
    return CLIENT.sendAsync(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(URI uri, String json) throws Exception {
    return postAsync(uri, json).get();
  }

  /**
   * Posts and returns the SSE stream's lines as they arrived, each with its arrival time in
   * nanoseconds.
   */
  static List<String> sse(URI uri, String json) throws Exception {
    HttpResponse<java.io.InputStream> r =
        CLIENT.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "SSE status " + r.statusCode() + ": " + new String(r.body().readAllBytes()));
    }
    if (!r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
      throw new AssertionError("not an event stream: " + r.headers().map());
    }
    List<String> lines = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
    }
    return lines;
  }
}
