package dev.conveyor.cli.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.DatasetRef;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The services' REST APIs as the command line uses them (ingest, registry, serving, feed). */
public final class SystemClient {
  private final String ingestUrl;
  private final String registryUrl;
  private final String servingUrl;
  private final String feedUrl;
  private final String adminPassword;

  public SystemClient(
      String ingestUrl,
      String registryUrl,
      String servingUrl,
      String feedUrl,
      String adminPassword) {
    this.ingestUrl = ingestUrl;
    this.registryUrl = registryUrl;
    this.servingUrl = servingUrl;
    this.feedUrl = feedUrl;
    this.adminPassword = adminPassword;
  }

  /** The client of the system whose {@code conveyor up} wrote {@code env}. */
  public static SystemClient of(SystemEnv env) throws IOException {
    return new SystemClient(
        env.url(ServiceSpec.INGEST),
        env.url(ServiceSpec.REGISTRY),
        env.url(ServiceSpec.SERVING),
        env.require("CONVEYOR_DEMO_FEED_URL"),
        env.adminPassword());
  }

  /** The client of a system started in this JVM. */
  public static SystemClient of(ConveyorSystem system) {
    return new SystemClient(
        system.url(ServiceSpec.INGEST),
        system.url(ServiceSpec.REGISTRY),
        system.url(ServiceSpec.SERVING),
        system.stack().demoFeed().url(),
        system.stack().adminPassword());
  }

  /** {@code POST /ingest/runs}: pull every source now; the run with per-source results. */
  public JsonNode ingestNow() throws IOException {
    return ok("ingest", Http.post(ingestUrl + "/ingest/runs", null, adminPassword, minutes(10)));
  }

  /**
   * One line per source of an {@link #ingestNow()} run, e.g. {@code ingest: source demo -> created
   * qa v2 (486 train, 54 test, 0 quarantined)}.
   */
  public static List<String> describeIngest(JsonNode run) {
    List<String> lines = new ArrayList<>();
    for (JsonNode s : run.path("sources")) {
      String status = s.path("status").asText();
      StringBuilder line =
          new StringBuilder("ingest: source ")
              .append(s.path("source").asText())
              .append(" -> ")
              .append(status);
      if (s.hasNonNull("version")) {
        line.append(' ').append(s.path("dataset").asText()).append(" v");
        line.append(s.path("version").asText());
      }
      List<String> notes = new ArrayList<>();
      JsonNode counts = s.path("counts");
      if (counts.isObject()) {
        notes.add(
            String.format(
                Locale.ROOT,
                "%d train, %d test, %d quarantined",
                counts.path("train").asLong(),
                counts.path("test").asLong(),
                counts.path("quarantined").asLong()));
      }
      if (!"created".equals(status) && !s.hasNonNull("error")) {
        notes.add("nothing new since the last pull");
      }
      if (!notes.isEmpty()) {
        line.append(" (").append(String.join("; ", notes)).append(')');
      }
      if (s.hasNonNull("error")) {
        line.append(": ").append(s.path("error").asText());
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** The demo feed moves to its next day; returns the new day. */
  public int nextDay() throws IOException {
    return ok("demo feed", Http.post(feedUrl + "/feed/next-day", null, null, minutes(1)))
        .path("day")
        .asInt();
  }

  /** A version of {@code dataset} as a reference; {@code version} null = the newest. */
  public DatasetRef dataset(String dataset, Long version) throws IOException {
    JsonNode versions =
        ok(
            "ingest",
            Http.get(ingestUrl + "/ingest/datasets/" + dataset + "/versions", adminPassword));
    JsonNode pick = null;
    for (JsonNode v : versions) {
      long n = v.path("version").asLong();
      if (version == null ? pick == null || n > pick.path("version").asLong() : n == version) {
        pick = v;
      }
    }
    if (pick == null) {
      throw new IOException(
          version == null
              ? "dataset '" + dataset + "' has no version yet"
              : "dataset '" + dataset + "' has no version " + version);
    }
    return new DatasetRef(
        dataset, pick.path("version").asLong(), pick.path("manifestDigest").asText());
  }

  /** The champion of {@code model} as a fine-tuning base, if there is one. */
  public Optional<BaseModel> champion(String model) throws IOException {
    Http.Response r = Http.get(registryUrl + "/models/" + model + "/aliases/champion", null);
    if (r.status() == 404) {
      return Optional.empty();
    }
    JsonNode c = ok("registry", r);
    JsonNode a = c.path("artifact");
    return Optional.of(
        BaseModel.of(
            c.path("version").asLong(),
            new ArtifactRef(
                a.path("uri").asText(), a.path("digest").asText(), a.path("sizeBytes").asLong())));
  }

  /** Greedy generation from the serving endpoint. */
  public JsonNode generate(String prompt, int maxTokens) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("prompt", prompt);
    body.put("max_tokens", maxTokens);
    body.put("temperature", 0);
    return ok("serving", Http.post(servingUrl + "/v1/generate", body, null, minutes(1)));
  }

  private static JsonNode ok(String what, Http.Response r) throws IOException {
    if (!r.ok() || r.json() == null) {
      throw new IOException(what + " answered " + r.status() + ": " + r.problem());
    }
    return r.json();
  }

  private static Duration minutes(int n) {
    return Duration.ofMinutes(n);
  }
}
