package dev.conveyor.cli.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code conveyor prompt} against a small SSE server speaking the serving endpoint's wire format:
 * tokens are printed while the answer is still streaming, then the model footer; errors are
 * reported as problem details.
 */
class PromptCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/generate/stream", this::stream);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void stream(HttpExchange ex) throws IOException {
    JsonNode req = JSON.readTree(ex.getRequestBody());
    requests.add(req);
    if (req.get("prompt").asText().equals("busy")) {
      byte[] body =
          "{\"type\":\"about:blank\",\"title\":\"Too many requests\",\"status\":429,\"detail\":\"the request queue is full (64 waiting)\"}"
              .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/problem+json");
      ex.sendResponseHeaders(429, body.length);
      ex.getResponseBody().write(body);
      ex.close();
      return;
    }
    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream o = ex.getResponseBody()) {
      send(o, "event: token\ndata: {\"text\":\"23\"}\n\n");
      // the rest is held back until the client has printed the first token: proof of streaming
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!out.toString().contains("23") && System.nanoTime() < deadline) {
        sleep();
      }
      send(o, "event: token\ndata: {\"text\":\"45\"}\n\n");
      send(
          o,
          "event: done\ndata: {\"text\":\"2345\",\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":2,"
              + "\"total_tokens\":8},\"latency_ms\":180,\"model\":{\"name\":\"qa\",\"version\":3,"
              + "\"dataset_digest\":\"sha256:abc\"}}\n\n");
    }
  }

  private static void send(OutputStream o, String s) throws IOException {
    o.write(s.getBytes(StandardCharsets.UTF_8));
    o.flush();
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int run(String input, String... args) {
    CommandLine cl =
        new CommandLine(
            new PromptCommand(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void streamsTokensAndShowsWhichModelAnswered() {
    int code =
        run("1234\n\n/quit\nnever sent\n", "--url", url(), "--max-tokens", "8", "--seed", "5");
    assertEquals(0, code, err.toString());
    assertTrue(
        out.toString().contains("2345\n[model qa v3, dataset sha256:abc, 2 tokens, 180 ms]"),
        out.toString());
    assertEquals(1, requests.size(), "blank lines are skipped and /quit ends the session");
    JsonNode req = requests.get(0);
    assertEquals("1234", req.get("prompt").asText());
    assertEquals(8, req.get("max_tokens").asInt());
    assertEquals(5, req.get("seed").asLong());
  }

  @Test
  void reportsProblemDetailsAndFailsTheExitCode() {
    int code = run("busy\n1234\n", "--url", url());
    assertEquals(1, code);
    assertTrue(err.toString().contains("error 429: the request queue is full"), err.toString());
    assertTrue(out.toString().contains("[model qa v3"), "the session goes on after an error");
  }

  @Test
  void saysWhenTheServerCannotBeReached() {
    server.stop(0);
    int code = run("1234\n", "--url", url());
    assertEquals(1, code);
    assertTrue(err.toString().contains("cannot reach"), err.toString());
  }
}
