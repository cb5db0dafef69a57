package dev.conveyor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.events.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} is valid for Debian's docker-compose and sets every topic, port and
 * environment variable each service reads (derived from the services' application.properties, their
 * poms and {@link Topics}), with every secret coming from {@code .env}.
 */
class ComposeTest {
  private static JsonNode compose;
  private static String raw;

  @BeforeAll
  static void resolve() throws Exception {
    List<String> base =
        List.of("docker-compose", "--env-file", ".env.example", "-f", "docker-compose.yml");
    List<String> quiet = new ArrayList<>(base);
    quiet.addAll(List.of("config", "-q"));
    Tools.Result check;
    try {
      check = Tools.run(Repo.root(), quiet);
    } catch (java.io.IOException e) {
      Tools.missing("docker-compose is missing: apt-get install docker-compose (.ci/run does)");
      throw e;
    }
    assertEquals(0, check.exit(), "docker-compose config -q: " + check.err());
    List<String> full = new ArrayList<>(base);
    full.add("config");
    Tools.Result r = Tools.run(Repo.root(), full);
    assertEquals(0, r.exit(), r.err());
    compose = StrictParser.documents(r.out()).get(0);
    raw = Repo.read(Repo.path("docker-compose.yml"));
  }

  private static JsonNode service(String name) {
    JsonNode s = compose.path("services").path(name);
    assertTrue(s.isObject(), "docker-compose.yml: services." + name + ": missing");
    return s;
  }

  @Test
  void kafkaInitCreatesEveryTopicAndDeadLetterTopic() {
    Set<String> created =
        new TreeSet<>(
            List.of(
                service("kafka-init")
                    .path("environment")
                    .path("TOPICS")
                    .asText()
                    .trim()
                    .split("\\s+")));
    assertEquals(
        new TreeSet<>(Topics.allWithDlqs()), created, "services.kafka-init.environment.TOPICS");
    for (ServiceConfig s : ServiceConfig.all()) {
      assertTrue(
          created.containsAll(s.topics()),
          s.name() + " uses " + s.topics() + ", kafka-init creates " + created);
    }
    String script = service("kafka-init").path("command").toString();
    assertTrue(
        script.contains("--create") && script.contains("$TOPICS"),
        "services.kafka-init.command does not create $TOPICS: " + script);
  }

  @Test
  void everyServiceGetsItsImagePortEnvironmentAndHealthcheck() {
    List<String> v = new ArrayList<>();
    for (ServiceConfig s : ServiceConfig.all()) {
      String at = "services." + s.name();
      JsonNode svc = service(s.name());
      String image = svc.path("image").asText();
      if (!image.startsWith("conveyor/" + s.name() + ":")) {
        v.add(at + ".image: " + image + " (the image is named after the module)");
      }
      Set<String> env = new HashSet<>();
      svc.path("environment").fieldNames().forEachRemaining(env::add);
      for (String required : s.requiredEnv()) {
        if (!env.contains(required) || svc.path("environment").path(required).asText().isBlank()) {
          v.add(at + ".environment." + required + ": not set (" + s.name() + " reads it)");
        }
      }
      Set<Integer> targets = new HashSet<>();
      for (JsonNode p : svc.path("ports")) {
        targets.add(
            p.isObject()
                ? p.path("target").asInt()
                : Integer.parseInt(p.asText().replaceAll(".*:", "").replace("/tcp", "")));
      }
      if (!targets.contains(s.httpPort())) {
        v.add(
            at
                + ".ports: the container port "
                + s.httpPort()
                + " (quarkus.http.port) is not published");
      }
      String health = svc.path("healthcheck").path("test").toString();
      if (!health.contains("/" + s.httpPort() + " ") || !health.contains("/q/health/")) {
        v.add(
            at
                + ".healthcheck.test: does not ask /q/health/ on port "
                + s.httpPort()
                + ": "
                + health);
      }
      JsonNode deps = svc.path("depends_on");
      if (!s.incoming().isEmpty() || !s.outgoing().isEmpty()) {
        expect(v, at, deps, "kafka-init", "service_completed_successfully");
      }
      if (s.requiredEnv().contains("CONVEYOR_S3_ENDPOINT")) {
        expect(v, at, deps, "minio-setup", "service_completed_successfully");
        if (!"http://minio:9000"
            .equals(svc.path("environment").path("CONVEYOR_S3_ENDPOINT").asText())) {
          v.add(at + ".environment.CONVEYOR_S3_ENDPOINT: not the minio service");
        }
      }
      if (s.requiredEnv().stream().anyMatch(e -> e.contains("_DB_") || e.contains("JDBC"))) {
        expect(v, at, deps, "postgres", "service_healthy");
      }
      env.stream()
          .filter(e -> e.endsWith("REGISTRY_URL"))
          .forEach(
              e -> {
                expect(v, at, deps, "registry-service", "service_healthy");
                String url = svc.path("environment").path(e).asText();
                int port = ServiceConfig.of("registry-service").httpPort();
                if (!url.equals("http://registry-service:" + port)) {
                  v.add(
                      at + ".environment." + e + ": " + url + ", the registry listens on " + port);
                }
              });
      if (env.contains("KAFKA_BOOTSTRAP_SERVERS")
          && !svc.path("environment")
              .path("KAFKA_BOOTSTRAP_SERVERS")
              .asText()
              .equals(internalKafka())) {
        v.add(
            at
                + ".environment.KAFKA_BOOTSTRAP_SERVERS: not Kafka's internal listener "
                + internalKafka());
      }
    }
    assertTrue(v.isEmpty(), String.join("\n", v));
  }

  private static void expect(
      List<String> v, String at, JsonNode deps, String on, String condition) {
    String c = deps.path(on).path("condition").asText();
    if (!condition.equals(c)) {
      v.add(at + ".depends_on." + on + ".condition: '" + c + "', needs " + condition);
    }
  }

  private static String internalKafka() {
    for (JsonNode l :
        List.of(service("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS"))) {
      Matcher m = Pattern.compile("INTERNAL://([^,]+)").matcher(l.asText());
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError(
        "services.kafka.environment.KAFKA_ADVERTISED_LISTENERS: no INTERNAL listener");
  }

  @Test
  void kafkaUiWatchesTheCluster() {
    JsonNode ui = service("kafka-ui");
    assertTrue(
        ui.path("image").asText().startsWith("kafbat/kafka-ui:v"),
        "services.kafka-ui.image: " + ui.path("image"));
    assertEquals(
        internalKafka(),
        ui.path("environment").path("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS").asText(),
        "services.kafka-ui.environment.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS");
    assertEquals(
        "service_healthy",
        ui.path("depends_on").path("kafka").path("condition").asText(),
        "services.kafka-ui.depends_on.kafka");
  }

  @Test
  void bucketsAndDatabasesAreCreatedAtStart() {
    String mc = service("minio-setup").path("command").toString();
    assertTrue(
        mc.contains("store/conveyor") && mc.contains("store/inbox"),
        "services.minio-setup.command makes no bucket conveyor/inbox: " + mc);
    JsonNode pg = service("postgres");
    String mount = pg.path("volumes").toString();
    assertTrue(
        mount.contains("10-conveyor-databases.sh")
            && mount.contains("/docker-entrypoint-initdb.d/"),
        "services.postgres.volumes: " + mount);
    String script = Repo.read(Repo.path("deploy", "base", "postgres", "10-conveyor-databases.sh"));
    for (String db : List.of("registry", "ingest")) {
      assertTrue(
          script.contains("\ncreate " + db + " "),
          "10-conveyor-databases.sh creates no database " + db);
      String user = db.toUpperCase() + "_DB_USER";
      assertEquals(
          service(db + "-service").path("environment").path(user).asText(),
          pg.path("environment").path(user).asText(),
          "services.postgres.environment." + user + " (the role the service logs in as)");
    }
  }

  @Test
  void theGpuTrainerReservesAnNvidiaGpuBehindAProfile() {
    JsonNode gpu = service("trainer-service-gpu");
    assertEquals(
        "[\"gpu\"]", gpu.path("profiles").toString(), "services.trainer-service-gpu.profiles");
    JsonNode device =
        gpu.path("deploy").path("resources").path("reservations").path("devices").path(0);
    assertEquals(
        "nvidia",
        device.path("driver").asText(),
        "services.trainer-service-gpu.deploy.resources.reservations.devices[0].driver");
    assertTrue(
        gpu.path("image").asText().endsWith("-cu124"),
        "services.trainer-service-gpu.image is not the CUDA build: " + gpu.path("image"));
  }

  @Test
  void theDemoFeedSitsInIngestsNetwork() {
    JsonNode feed = service("demo-feed");
    assertEquals(
        "service:ingest-service",
        feed.path("network_mode").asText(),
        "services.demo-feed.network_mode");
    String port = feed.path("environment").path("CONVEYOR_DEMO_FEED_PORT").asText();
    assertEquals(
        "http://127.0.0.1:" + port,
        service("ingest-service").path("environment").path("CONVEYOR_DEMO_FEED_URL").asText(),
        "services.ingest-service.environment.CONVEYOR_DEMO_FEED_URL");
  }

  @Test
  void everySecretComesFromDotEnvAndDotEnvExampleListsThemAll() throws Exception {
    // in the file as written (before interpolation) a secret is only ever a ${VAR} reference
    List<String> v = new ArrayList<>();
    Matcher line = Pattern.compile("(?m)^\\s*([A-Z0-9_]+):\\s*(.+)$").matcher(raw);
    while (line.find()) {
      String name = line.group(1);
      String value = line.group(2).trim();
      if (ManifestChecks.SECRET_NAME.matcher(name).matches()
          && !value.matches("\\$\\{[A-Z0-9_]+:\\?[^}]*}")) {
        v.add(
            "docker-compose.yml: "
                + name
                + ": "
                + value
                + " (a secret must be ${VAR:?...} from .env)");
      }
    }
    Set<String> referenced = new LinkedHashSet<>();
    Matcher ref = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(raw);
    while (ref.find()) {
      referenced.add(ref.group(1));
    }
    Set<String> example = new HashSet<>();
    for (String l : Repo.read(Repo.path(".env.example")).split("\n")) {
      if (l.matches("[A-Z0-9_]+=.*")) {
        example.add(l.substring(0, l.indexOf('=')));
      }
    }
    for (String r : referenced) {
      if (!example.contains(r)) {
        v.add(".env.example: " + r + " is missing (docker-compose.yml requires it)");
      }
    }
    assertTrue(v.isEmpty(), String.join("\n", v));
    assertTrue(
        Repo.read(Repo.path(".gitignore")).lines().anyMatch(".env"::equals),
        ".gitignore must ignore .env");
  }
}
