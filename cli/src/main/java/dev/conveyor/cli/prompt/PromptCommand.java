package dev.conveyor.cli.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.cli.LocalDefaults;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code conveyor prompt}: an interactive session against the serving endpoint. Each line read is
 * sent to {@code /v1/generate/stream}; tokens are printed as they arrive, then which model
 * answered.
 */
@Command(
    name = "prompt",
    mixinStandardHelpOptions = true,
    description = {
      "Chat with the served model: type a prompt, watch the answer stream in.",
      "Each answer ends with [model NAME vVERSION, dataset DIGEST, N tokens, T ms].",
      "An empty line is skipped; /quit or end of input ends the session."
    })
public final class PromptCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--url",
      description =
          "serving endpoint (default: $CONVEYOR_SERVING_URL, else the one conveyor up runs,"
              + " else http://localhost:8084)")
  String url;

  @Option(names = "--max-tokens", defaultValue = "64", description = "tokens per answer")
  int maxTokens;

  @Option(names = "--temperature", defaultValue = "0.7", description = "0 = greedy")
  double temperature;

  @Option(names = "--top-k", description = "keep the k most likely tokens")
  Integer topK;

  @Option(names = "--top-p", description = "nucleus probability mass")
  Double topP;

  @Option(names = "--seed", description = "sampling seed (reproducible answers)")
  Long seed;

  @Option(names = "--stop", description = "stop sequence (repeatable)")
  List<String> stop;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final InputStream in;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Reads prompts from standard input. */
  public PromptCommand() {
    this(System.in);
  }

  /** Reads prompts from {@code in} (tests). */
  public PromptCommand(InputStream in) {
    this.in = in;
  }

  @Override
  public Integer call() throws IOException {
    if (url == null) {
      url = LocalDefaults.get("CONVEYOR_SERVING_URL", "http://localhost:8084");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    out.print("> ");
    out.flush();
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.strip().equals("/quit")) {
        break;
      }
      if (!line.isBlank()) {
        failed |= !ask(line, out, err);
      }
      out.print("> ");
      out.flush();
    }
    out.println();
    out.flush();
    return failed ? 1 : 0;
  }

  /** Streams one answer; false when the request failed. */
  boolean ask(String prompt, PrintWriter out, PrintWriter err) {
    ObjectNode body = JSON.createObjectNode();
    body.put("prompt", prompt);
    body.put("max_tokens", maxTokens);
    body.put("temperature", temperature);
    if (topK != null) {
      body.put("top_k", topK);
    }
    if (topP != null) {
      body.put("top_p", topP);
    }
    if (seed != null) {
      body.put("seed", seed);
    }
    if (stop != null) {
      stop.forEach(body.putArray("stop")::add);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/v1/generate/stream"))
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    try {
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader sse =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        if (r.statusCode() != 200) {
          err.println(problem(r.statusCode(), sse));
          err.flush();
          return false;
        }
        return readEvents(sse, out, err);
      }
    } catch (IOException e) {
      err.println("error: cannot reach " + url + " (" + e.getMessage() + ")");
      err.flush();
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean readEvents(BufferedReader sse, PrintWriter out, PrintWriter err)
      throws IOException {
    String event = "message";
    for (String line; (line = sse.readLine()) != null; ) {
      if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        JsonNode data = JSON.readTree(line.substring(5).strip());
        switch (event) {
          case "token" -> {
            out.print(data.path("text").asText());
            out.flush();
          }
          case "done" -> {
            out.println();
            out.println(footer(data));
            out.flush();
            return true;
          }
          case "error" -> {
            out.println();
            err.println(
                "error " + data.path("status").asInt() + ": " + data.path("detail").asText());
            err.flush();
            return false;
          }
          default -> {}
        }
      } else if (line.isEmpty()) {
        event = "message";
      }
    }
    err.println("error: the stream ended without an answer");
    err.flush();
    return false;
  }

  /** {@code [model qa v3, dataset sha256:…, 42 tokens, 180 ms]}. */
  static String footer(JsonNode done) {
    JsonNode m = done.path("model");
    return String.format(
        "[model %s v%d, dataset %s, %d tokens, %d ms]",
        m.path("name").asText("?"),
        m.path("version").asLong(),
        m.path("dataset_digest").asText("unknown"),
        done.path("usage").path("completion_tokens").asInt(),
        done.path("latency_ms").asLong());
  }

  private static String problem(int status, BufferedReader body) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String l; (l = body.readLine()) != null; ) {
      sb.append(l);
    }
    String detail = sb.toString();
    try {
      JsonNode p = JSON.readTree(detail);
      if (p.hasNonNull("detail")) {
        detail = p.get("detail").asText();
      }
    } catch (IOException notJson) {
      // keep the raw body
    }
    return "error " + status + ": " + detail;
  }
}
