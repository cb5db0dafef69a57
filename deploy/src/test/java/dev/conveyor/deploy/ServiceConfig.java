package dev.conveyor.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one service reads, derived from its {@code application.properties} and {@code pom.xml}
 * (never listed by hand): HTTP port, the environment variables a deployment must set, the topics it
 * consumes and produces, its consumer group.
 */
record ServiceConfig(
    String name,
    int httpPort,
    Set<String> envReferences,
    Set<String> requiredEnv,
    Set<String> incoming,
    Set<String> outgoing,
    String consumerGroup) {

  private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

  /** Reads {@code <root>/<service>/src/main/resources/application.properties} and its pom. */
  static ServiceConfig of(String service) {
    Properties p = new Properties();
    try {
      p.load(
          new StringReader(
              Repo.read(Repo.path(service, "src/main/resources/application.properties"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String pom = Repo.read(Repo.path(service, "pom.xml"));
    Set<String> refs = new TreeSet<>();
    Set<String> required = new TreeSet<>();
    for (String key : p.stringPropertyNames()) {
      // test and dev settings never reach a container
      if (key.startsWith("%") && !key.startsWith("%prod.")) {
        continue;
      }
      // image and manifest settings are read by the build, not by the running service
      if (key.matches("quarkus\\.(jib|container-image|kubernetes)\\..*")) {
        continue;
      }
      Matcher m = ENV_REF.matcher(p.getProperty(key));
      while (m.find()) {
        String var = m.group(1);
        String fallback = m.group(2);
        refs.add(var);
        if (fallback == null
            || fallback.contains("localhost")
            || fallback.contains("127.0.0.1")
            || var.matches(".*_DB_(USER|PASSWORD)")) {
          // no default, a default that only works on a developer's machine, or a database login
          required.add(var);
        }
      }
    }
    Set<String> in = list(p.getProperty("conveyor.channels.incoming"));
    Set<String> out = list(p.getProperty("conveyor.channels.outgoing"));
    // channels configured by hand name their topic
    for (String key : p.stringPropertyNames()) {
      Matcher m =
          Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.topic").matcher(key);
      if (m.matches()) {
        (m.group(1).equals("incoming") ? in : out).add(p.getProperty(key).trim());
      }
    }
    if (!in.isEmpty() || !out.isEmpty()) {
      required.add("KAFKA_BOOTSTRAP_SERVERS");
    }
    if (pom.contains("<artifactId>storage</artifactId>")) {
      // dev.conveyor.storage.S3Config: endpoint and keys have no default
      required.addAll(
          List.of("CONVEYOR_S3_ENDPOINT", "CONVEYOR_S3_ACCESS_KEY", "CONVEYOR_S3_SECRET_KEY"));
    }
    String group = p.getProperty("kafka.group.id", p.getProperty("quarkus.application.name"));
    return new ServiceConfig(
        service, port(p.getProperty("quarkus.http.port")), refs, required, in, out, group);
  }

  static List<ServiceConfig> all() {
    List<ServiceConfig> all = new ArrayList<>();
    for (String s : Repo.SERVICES) {
      all.add(of(s));
    }
    return all;
  }

  /** Topics this service needs to exist: its channels and the DLQs of what it consumes. */
  Set<String> topics() {
    Set<String> t = new TreeSet<>(incoming);
    t.addAll(outgoing);
    incoming.forEach(i -> t.add(dev.conveyor.events.Topics.dlq(i)));
    return t;
  }

  private static int port(String value) {
    if (value == null) {
      return 8080;
    }
    Matcher m = Pattern.compile("\\$\\{[^:}]*:(\\d+)}").matcher(value.trim());
    return Integer.parseInt(m.matches() ? m.group(1) : value.trim());
  }

  private static Set<String> list(String csv) {
    Set<String> s = new LinkedHashSet<>();
    if (csv != null) {
      for (String part : csv.split(",")) {
        if (!part.isBlank()) {
          s.add(part.trim());
        }
      }
    }
    return s;
  }
}
