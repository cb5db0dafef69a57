package dev.conveyor.benchmarks.registry;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.StackOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Registry throughput and read latency against the real local stack and the packaged service:
 *
 * <ol>
 *   <li>registration + promotion: N synthetic versions (a real artifact each under runs/), one
 *       succeeded model-trained and one passed model-evaluated per version, published as fast as
 *       Kafka takes them; timed until every version is registered and every evaluation decided;
 *   <li>GET /models/{name}/aliases/champion from C concurrent clients for D seconds: p50/p99/max.
 * </ol>
 *
 * Args: {@code --versions 10000 --models 10 --clients 100 --seconds 30 --jar <quarkus-run.jar>
 * --out <results.md>}.
 */
public final class RegistryBenchmark {
  private RegistryBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    int versions = Integer.parseInt(a.getOrDefault("versions", "10000"));
    int models = Integer.parseInt(a.getOrDefault("models", "10"));
    int clients = Integer.parseInt(a.getOrDefault("clients", "100"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "30"));
    Path jar =
        Path.of(a.getOrDefault("jar", "registry-service/target/quarkus-app/quarkus-run.jar"));
    Path out = Path.of(a.getOrDefault("out", "benchmarks/results/registry-service.md"));
    Path dir = Files.createTempDirectory("registry-bench-");

    log("starting the local stack in " + dir);
    try (LocalStack stack = LocalStack.start(StackOptions.forTests(dir))) {
      Map<String, String> cfg = stack.serviceConfig("registry");
      int port = freePort();
      Process registry = startRegistry(jar, cfg, port, dir.resolve("registry.log"));
      try {
        waitReady(port);
        log("registry ready on port " + port);
        S3Client s3 = s3(cfg);
        String bucket = cfg.get("conveyor.s3.bucket");
        List<ArtifactRef> artifacts = new ArrayList<>(versions);
        long t0 = System.nanoTime();
        ExecutorService uploads = Executors.newFixedThreadPool(16);
        List<Future<ArtifactRef>> futures = new ArrayList<>();
        for (int i = 0; i < versions; i++) {
          int n = i;
          futures.add(uploads.submit(() -> upload(s3, bucket, runId(n))));
        }
        for (Future<ArtifactRef> f : futures) {
          artifacts.add(f.get());
        }
        uploads.shutdown();
        log(String.format(Locale.ROOT, "uploaded %d artifacts in %.1f s", versions, secs(t0)));

        // --- registration + promotion throughput
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(stack.kafkaBootstrap())) {
          for (int i = 0; i < versions; i++) {
            String model = "bench-" + (i % models);
            DatasetRef ds = new DatasetRef("bench-data", 1, "sha256:" + "d".repeat(64));
            send(
                producer,
                new ModelTrained(
                    runId(i),
                    "req-" + i,
                    model,
                    artifacts.get(i),
                    ds,
                    BaseModel.scratch(),
                    "sha256:bench",
                    new ModelTrained.Metrics(0.4, 100, 1000, 1000),
                    ModelTrained.Outcome.succeeded()));
            send(
                producer,
                new ModelEvaluated(
                    "eval-" + i,
                    model,
                    ModelEvaluated.Kind.CANDIDATE,
                    new ModelEvaluated.Scored(runId(i), null, artifacts.get(i).digest(), 60, null),
                    null,
                    ds,
                    100,
                    "bench",
                    1.0,
                    0.01,
                    null,
                    ModelEvaluated.Verdict.PASSED,
                    List.of("bench"),
                    new ModelEvaluated.Thresholds(20, 1, 0.05, "promote-if-min-bleu"),
                    null));
          }
          producer.flush();
        }
        double publishSecs = secs(start);
        log(String.format(Locale.ROOT, "published %d events in %.1f s", 2 * versions, publishSecs));
        String jdbc = stack.jdbcUrl("registry");
        long registered = 0;
        long decided = 0;
        while (registered < versions || decided < versions) {
          Thread.sleep(250);
          registered =
              count(jdbc, "SELECT count(*) FROM model_version WHERE status = 'registered'");
          decided = count(jdbc, "SELECT count(*) FROM evaluation WHERE decision <> 'pending'");
          if (secs(start) > 1800) {
            throw new IllegalStateException("not done after 30 min: " + registered + "/" + decided);
          }
        }
        double elapsed = secs(start);
        long promotions = count(jdbc, "SELECT count(*) FROM alias_move");
        long waitedPublish = System.nanoTime();
        while (count(jdbc, "SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0) {
          Thread.sleep(100);
        }
        double elapsedPublished = elapsed + secs(waitedPublish);
        log(
            String.format(
                Locale.ROOT,
                "%d versions registered, %d promotions, in %.1f s",
                versions,
                promotions,
                elapsed));

        // --- champion latency under concurrent clients
        Latency lat = championLatency(port, models, clients, seconds);
        log(lat.toString());

        String md =
            report(
                versions,
                models,
                clients,
                seconds,
                publishSecs,
                elapsed,
                elapsedPublished,
                promotions,
                lat);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println(md);
      } finally {
        registry.destroy();
        registry.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  record Latency(
      long requests, long errors, double seconds, double p50, double p90, double p99, double max) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "GET champion: %d requests (%d errors) in %.1f s = %.0f req/s; p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
          requests,
          errors,
          seconds,
          requests / seconds,
          p50,
          p90,
          p99,
          max);
    }
  }

  static Latency championLatency(int port, int models, int clients, int seconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // warm-up
    for (int i = 0; i < 2000; i++) {
      get(http, port, "bench-" + (i % models));
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    List<Future<long[]>> results = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      int client = c;
      results.add(
          pool.submit(
              () -> {
                long[] buf = new long[1 << 16];
                int n = 0;
                int i = client;
                while (System.nanoTime() < deadline) {
                  long t = System.nanoTime();
                  int status = get(http, port, "bench-" + (i++ % models));
                  long d = System.nanoTime() - t;
                  if (status != 200) {
                    errors.incrementAndGet();
                  }
                  if (n == buf.length) {
                    buf = Arrays.copyOf(buf, n * 2);
                  }
                  buf[n++] = d;
                }
                return Arrays.copyOf(buf, n);
              }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> f : results) {
      all.add(f.get());
    }
    double took = secs(start);
    pool.shutdown();
    long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Latency(
        merged.length,
        errors.get(),
        took,
        pct(merged, 50),
        pct(merged, 90),
        pct(merged, 99),
        merged[merged.length - 1] / 1e6);
  }

  static int get(HttpClient http, int port, String model) {
    try {
      return http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://localhost:" + port + "/models/" + model + "/aliases/champion"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static double pct(long[] sorted, double p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
  }

  static String report(
      int versions,
      int models,
      int clients,
      int seconds,
      double publishSecs,
      double elapsed,
      double elapsedPublished,
      long promotions,
      Latency lat) {
    int cores = Runtime.getRuntime().availableProcessors();
    return String.format(
        Locale.ROOT,
        """
        # registry-service benchmark

        Measured %s on this machine (%d cores, Java %s) by
        `benchmarks/registry-service/run.sh`, against the real local stack (KRaft Kafka, PostgreSQL 14,
        S3Proxy) and the packaged service (`registry-service/target/quarkus-app/quarkus-run.jar`,
        default settings, outbox relay on). Everything (stack, service, load generator) shares the
        same %d cores; load average at the end of the run: %s.

        ## Registration + promotion throughput

        %d synthetic versions over %d models: each has its own 8 KiB artifact object
        `runs/<run-id>/model.tar.gz` (random bytes, uploaded before the clock starts; the registry
        only copies and hashes it), one succeeded `model-trained` and one passed
        `model-evaluated` (candidate by `runId`, version unknown). Per version the registry allocates
        the number, copies the run's object server-side to `models/<m>/<v>/`, reads the copy back and
        verifies sha256 + size, and decides the gate (promote when newer than the champion; an
        evaluation that arrives before its run registered waits and is applied then).

        | measure | value |
        |---|---|
        | events published (2 per version) | %d in %.1f s |
        | all versions registered and all evaluations decided | %.1f s |
        | **throughput** | **%.0f events/s** (%.0f versions/s registered + gated) |
        | alias moves (promotions) | %d |
        | until the outbox was empty (every model-promoted acked by Kafka) | %.1f s |

        ## GET champion latency

        `GET /models/{name}/aliases/champion` from %d concurrent clients (java.net.http, one
        request at a time each) for %d s, spread over the %d models, after a 2000-request warm-up.

        | requests | errors | req/s | p50 | p90 | **p99** | max |
        |---|---|---|---|---|---|---|
        | %d | %d | %.0f | %.2f ms | %.2f ms | **%.2f ms** | %.2f ms |
        """,
        Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC",
        cores,
        System.getProperty("java.version"),
        cores,
        versions,
        models,
        2 * versions,
        publishSecs,
        elapsed,
        2 * versions / elapsed,
        versions / elapsed,
        promotions,
        elapsedPublished,
        clients,
        seconds,
        models,
        lat.requests(),
        lat.errors(),
        lat.requests() / lat.seconds(),
        lat.p50(),
        lat.p90(),
        lat.p99(),
        lat.max());
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2] + " (1 / 5 / 15 min)";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String runId(int i) {
    return "bench-run-" + i;
  }

  static ArtifactRef upload(S3Client s3, String bucket, String runId) throws Exception {
    byte[] data = new byte[8192];
    new Random(runId.hashCode()).nextBytes(data);
    String key = "runs/" + runId + "/model.tar.gz";
    s3.putObject(
        PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(data));
    String digest =
        "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    return new ArtifactRef("s3://" + bucket + "/" + key, digest, data.length);
  }

  static S3Client s3(Map<String, String> cfg) {
    return S3Client.builder()
        .endpointOverride(URI.create(cfg.get("conveyor.s3.endpoint")))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    cfg.get("conveyor.s3.access-key"), cfg.get("conveyor.s3.secret-key"))))
        .serviceConfiguration(
            S3Configuration.builder()
                .pathStyleAccessEnabled(true)
                .checksumValidationEnabled(false)
                .build())
        .build();
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 5),
        new StringSerializer(),
        new StringSerializer());
  }

  static void send(KafkaProducer<String, String> p, EventData data) {
    var type = EventTypes.of(data.getClass());
    CloudEventMeta meta = CloudEventMeta.create(type, "/conveyor/benchmarks");
    var record = new ProducerRecord<>(type.topic(), data.key(), EventCodec.encode(data));
    CloudEventHeaders.encode(meta)
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    p.send(record);
  }

  static Process startRegistry(Path jar, Map<String, String> cfg, int port, Path log)
      throws IOException {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build registry-service first");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cfg.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-Dquarkus.http.port=" + port);
    cmd.add("-DCONVEYOR_ADMIN_PASSWORD=bench-" + System.nanoTime());
    cmd.add("-Dquarkus.log.level=WARN");
    cmd.add("-jar");
    cmd.add(jar.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static void waitReady(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/q/health/ready"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("registry did not become ready");
  }

  static long count(String jdbc, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static void log(String s) {
    System.err.println("[registry-bench] " + s);
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return m;
  }
}
