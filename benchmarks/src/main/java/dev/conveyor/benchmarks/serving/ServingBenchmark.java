package dev.conveyor.benchmarks.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.Ports;
import dev.conveyor.localstack.StackOptions;
import dev.conveyor.model.artifact.Archives;
import dev.conveyor.model.artifact.ArtifactInfo;
import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load generator for the serving service, run against the real packaged service on the local stack
 * (Kafka, S3): tokens/s and p50/p99 latency at concurrency 1, 8 and 32 with batching on and off
 * (two service processes, same model, same run), and the swap time of a promotion under load with
 * the number of failed requests. Every phase sends a bounded number of requests.
 *
 * <p>Usage: {@code ServingBenchmark --jar serving-service/target/quarkus-app/quarkus-run.jar --out
 * benchmarks/results/serving-service.md [--per-client 4] [--max-tokens 64] [--steps 1]}
 */
public final class ServingBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int[] CONCURRENCY = {1, 8, 32};

  private static final String DATASET = "bench-qa";
  private static String datasetDigest;
  private static String loadAtStart = loadAverage();

  private ServingBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    Path jar = Path.of(a.getOrDefault("jar", "serving-service/target/quarkus-app/quarkus-run.jar"));
    Path out = Path.of(a.getOrDefault("out", "benchmarks/results/serving-service.md"));
    int perClient = Integer.parseInt(a.getOrDefault("per-client", "4"));
    int maxTokens = Integer.parseInt(a.getOrDefault("max-tokens", "64"));
    int steps = Integer.parseInt(a.getOrDefault("steps", "1"));
    Path work = Files.createTempDirectory("serving-bench");
    try (LocalStack stack = LocalStack.start(StackOptions.forTests(work.resolve("stack")))) {
      Map<String, String> stackConfig = stack.serviceConfig("postgres");
      log("training the default model (%d steps)", steps);
      List<Path> archives = train(work, steps);
      uploadDataset(stackConfig, work);
      ArtifactRef v1 = upload(stackConfig, 1, archives.get(0));
      ArtifactRef v2 = upload(stackConfig, 2, archives.get(1));
      List<Row> rows = new ArrayList<>();
      SwapResult swap = null;
      long version = 0;
      for (boolean batching : new boolean[] {true, false}) {
        try (Service svc = Service.start(jar, stackConfig, batching, work)) {
          awaitConsumer(stack.kafkaBootstrap());
          // each service is a new replica: it starts from the latest offset, so load v1 (or v2)
          // anew
          ArtifactRef first = version == 0 ? v1 : v2;
          long firstVersion = version == 0 ? 1 : 2;
          promote(stack.kafkaBootstrap(), firstVersion, first);
          svc.awaitVersion(firstVersion, Duration.ofMinutes(3));
          version = firstVersion;
          run(svc, 4, 2, maxTokens); // warm-up
          for (int c : CONCURRENCY) {
            Row r = run(svc, c, perClient, maxTokens);
            r.batching = batching;
            rows.add(r);
            log("%s", r);
          }
          if (batching) {
            swap = swapUnderLoad(svc, stack.kafkaBootstrap(), 2, v2, maxTokens);
            log("%s", swap);
          }
        }
      }
      String md = report(rows, swap, perClient, maxTokens, steps);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, md);
      System.out.println(md);
    }
  }

  // ---------------------------------------------------------------- model

  private static List<Path> train(Path work, int steps) throws Exception {
    Random r = new Random(1);
    List<String> corpus = new ArrayList<>();
    List<Example> examples = new ArrayList<>();
    String[] words = {
      "model", "data", "event", "serve", "train", "token", "batch", "swap", "kafka", "query"
    };
    for (int i = 0; i < 2000; i++) {
      StringBuilder p = new StringBuilder();
      StringBuilder c = new StringBuilder();
      for (int j = 0; j < 6; j++) {
        p.append(words[r.nextInt(words.length)]).append(' ');
        c.append(words[r.nextInt(words.length)]).append(' ');
      }
      corpus.add(p + " " + c);
      examples.add(Example.pair(p.toString().strip(), c.toString().strip()));
    }
    writeDataset(work, examples.subList(0, 20)); // the smoke test's golden prompts
    List<Path> out = new ArrayList<>();
    try (TextTokenizer tok = TextTokenizer.train(corpus, 512, work.resolve("tokenizer.json"));
        GptTrainer t =
            GptTrainer.fromScratch(
                ModelConfig.defaults(tok.vocabSize()),
                tok,
                TrainingConfig.builder()
                    .setSteps(steps)
                    .setBatchSize(8)
                    .setSequenceLength(64)
                    .setWarmupSteps(5)
                    .build())) {
      t.train(examples, p -> {}, () -> false);
      for (int v = 1; v <= 2; v++) {
        Path dir = work.resolve("artifact-v" + v);
        t.exportArtifact(
            dir,
            new ArtifactInfo(
                "qa",
                Integer.toString(v),
                datasetDigest,
                null,
                null,
                Map.of(),
                null,
                null,
                null,
                null));
        Path zip = work.resolve("model-v" + v + ".zip");
        Archives.pack(dir, zip);
        out.add(zip);
      }
    }
    return out;
  }

  /**
   * A dataset version as the ingest service stores it (only a test split here): the serving service
   * smoke-tests every new model with prompts from the test split of the dataset its artifact names.
   */
  private static void writeDataset(Path work, List<Example> test) throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (var w =
        new OutputStreamWriter(new GZIPOutputStream(gz), java.nio.charset.StandardCharsets.UTF_8)) {
      for (int i = 0; i < test.size(); i++) {
        Map<String, String> rec = new LinkedHashMap<>();
        rec.put("id", Integer.toString(i));
        rec.put("prompt", test.get(i).prompt());
        rec.put("completion", test.get(i).completion());
        w.write(JSON.writeValueAsString(rec) + "\n");
      }
    }
    byte[] split = gz.toByteArray();
    byte[] manifest =
        new DatasetManifest(
                DATASET,
                1,
                null,
                null,
                Instant.now().toString(),
                DatasetManifest.KIND_QA,
                List.of(),
                new DatasetManifest.Counts(0, test.size(), 0, 0),
                new DatasetManifest.Split("benchmark", 1000),
                Map.of(
                    DatasetLayout.TEST,
                    new DatasetManifest.FileEntry(Digests.of(split), split.length, test.size())))
            .toJson();
    Files.write(work.resolve(DatasetLayout.TEST), split);
    Files.write(work.resolve(DatasetLayout.MANIFEST), manifest);
    datasetDigest = Digests.of(manifest);
  }

  private static void uploadDataset(Map<String, String> cfg, Path work) throws Exception {
    String bucket = cfg.getOrDefault("conveyor.s3.bucket", "conveyor");
    for (String file : List.of(DatasetLayout.TEST, DatasetLayout.MANIFEST)) {
      S3Upload.put(
          cfg.get("conveyor.s3.endpoint"),
          cfg.get("conveyor.s3.access-key"),
          cfg.get("conveyor.s3.secret-key"),
          bucket,
          DatasetLayout.prefix(DATASET, 1) + file,
          work.resolve(file));
    }
  }

  private static ArtifactRef upload(Map<String, String> cfg, long version, Path zip)
      throws Exception {
    String bucket = cfg.getOrDefault("conveyor.s3.bucket", "conveyor");
    String key = "models/qa/" + version + "/model.zip";
    String digest =
        S3Upload.put(
            cfg.get("conveyor.s3.endpoint"),
            cfg.get("conveyor.s3.access-key"),
            cfg.get("conveyor.s3.secret-key"),
            bucket,
            key,
            zip);
    return new ArtifactRef("s3://" + bucket + "/" + key, digest, Files.size(zip));
  }

  // ---------------------------------------------------------------- events

  private static void promote(String bootstrap, long version, ArtifactRef artifact)
      throws Exception {
    ModelPromoted data =
        new ModelPromoted(
            "qa",
            version,
            null,
            ModelPromoted.Reason.GATE,
            "benchmark",
            Instant.now(),
            artifact,
            datasetDigest,
            null);
    CloudEventMeta meta = CloudEventMeta.create(EventTypes.MODEL_PROMOTED, Sources.CLI);
    try (var p =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      var rec = new ProducerRecord<>(Topics.MODEL_PROMOTED, data.key(), EventCodec.encode(data));
      CloudEventHeaders.encode(meta)
          .forEach((k, v) -> rec.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      p.send(rec).get(30, TimeUnit.SECONDS);
    }
  }

  /** Waits until a live serving consumer group owns every partition of model-promoted. */
  private static void awaitConsumer(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (System.nanoTime() < deadline) {
        List<String> ids =
            admin.listConsumerGroups().all().get().stream()
                .map(g -> g.groupId())
                .filter(g -> g.startsWith("serving-service-"))
                .toList();
        if (!ids.isEmpty()) {
          long owned =
              admin.describeConsumerGroups(ids).all().get().values().stream()
                  .flatMap(d -> d.members().stream())
                  .flatMap(m -> m.assignment().topicPartitions().stream())
                  .filter(tp -> tp.topic().equals(Topics.MODEL_PROMOTED))
                  .count();
          if (owned >= 3) {
            return;
          }
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("the service never joined model-promoted");
    }
  }

  // ---------------------------------------------------------------- load

  private static Row run(Service svc, int clients, int perClient, int maxTokens) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger tokens = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    double[] batchesBefore = svc.batchStats();
    long start = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      fs.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perClient; i++) {
                  long t0 = System.nanoTime();
                  JsonNode r =
                      svc.generate(
                          "model data event " + client + " " + i, maxTokens, client * 1000L + i);
                  if (r == null) {
                    failed.incrementAndGet();
                  } else {
                    tokens.addAndGet(r.get("usage").get("completion_tokens").asInt());
                    latencies.add((System.nanoTime() - t0) / 1_000_000);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    Row row = new Row();
    row.concurrency = clients;
    row.requests = clients * perClient;
    row.failed = failed.get();
    row.tokensPerSecond = tokens.get() / secs;
    row.p50 = percentile(latencies, 0.50);
    row.p99 = percentile(latencies, 0.99);
    double[] batchesAfter = svc.batchStats();
    double batches = batchesAfter[0] - batchesBefore[0];
    row.meanBatch = batches > 0 ? (batchesAfter[1] - batchesBefore[1]) / batches : 0;
    row.tokens = tokens.get();
    return row;
  }

  private static SwapResult swapUnderLoad(
      Service svc, String bootstrap, long version, ArtifactRef ref, int maxTokens)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger onNew = new AtomicInteger();
    int cap = 400;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int client = c;
      fs.add(
          pool.submit(
              () -> {
                while (!(stop.get() && onNew.get() >= 16) && sent.incrementAndGet() <= cap) {
                  JsonNode r = svc.generate("swap load " + client, maxTokens, client);
                  if (r == null) {
                    failed.incrementAndGet();
                  } else if (r.get("model").get("version").asLong() == version) {
                    onNew.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    Thread.sleep(1500);
    long t0 = System.nanoTime();
    promote(bootstrap, version, ref);
    svc.awaitVersion(version, Duration.ofMinutes(2));
    long seenMillis = (System.nanoTime() - t0) / 1_000_000;
    stop.set(true);
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    JsonNode models = svc.models();
    SwapResult s = new SwapResult();
    s.requests = Math.min(sent.get(), cap);
    s.failed = failed.get();
    s.serviceMillis = models.get("swaps").get(0).get("swapMillis").asLong();
    s.observedMillis = seenMillis;
    return s;
  }

  private static long percentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
  }

  // ---------------------------------------------------------------- report

  private static String report(
      List<Row> rows, SwapResult swap, int perClient, int maxTokens, int steps) {
    StringBuilder sb = new StringBuilder();
    sb.append("# serving-service benchmark\n\n");
    sb.append("Generated by `benchmarks/serving-service/run.sh` on ")
        .append(Instant.now())
        .append(".\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Machine: %d cores (`nproc`), load average (1 min) at the start %s, at the end %s. The packaged service (`quarkus-run.jar`) ran on the local stack"
                + " (real Kafka, S3); the default model (`ModelConfig.defaults`: 4 layers, width 128, context 256, BPE vocabulary 512)"
                + " trained for %d step(s): barely trained weights rarely sample end-of-text, so requests run to `max_tokens` and tokens/s"
                + " measures decoding rather than early stops. Each client sends %d requests one after another (`max_tokens` %d,"
                + " temperature 1.0, own seed);"
                + " latency is measured by the client. Batching on: continuous batching (requests join the running batch at the next"
                + " decode step and leave it when done), max batch 32, max wait 20 ms for an empty batch (only when demand says more"
                + " requests are coming); off: the same decode loop with one row. \"mean batch\" is the mean number of rows per decode"
                + " step (the service's `conveyor_serving_batch_size` metric).%n%n",
            Runtime.getRuntime().availableProcessors(),
            loadAtStart,
            loadAverage(),
            steps,
            perClient,
            maxTokens));
    sb.append(
        "| batching | concurrency | requests | failed | tokens | tokens/s | p50 ms | p99 ms | mean batch |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %.1f | %d | %d | %.1f |%n",
              r.batching ? "on" : "off",
              r.concurrency,
              r.requests,
              r.failed,
              r.tokens,
              r.tokensPerSecond,
              r.p50,
              r.p99,
              r.meanBatch));
    }
    for (int c : CONCURRENCY) {
      Row on = find(rows, true, c);
      Row off = find(rows, false, c);
      if (on != null && off != null) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%nBatching speed-up at concurrency %d: **%.2fx** tokens/s.",
                c,
                on.tokensPerSecond / off.tokensPerSecond));
      }
    }
    sb.append("\n\n");
    if (swap != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "Hot swap under load (8 clients, batching on): promotion received -> new model serving **%d ms** (service's"
                  + " own measure; %d ms from the benchmark publishing the event to seeing the new version), **%d failed"
                  + " of %d requests**.%n",
              swap.serviceMillis,
              swap.observedMillis,
              swap.failed,
              swap.requests));
    }
    return sb.toString();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  private static Row find(List<Row> rows, boolean batching, int c) {
    return rows.stream()
        .filter(r -> r.batching == batching && r.concurrency == c)
        .findFirst()
        .orElse(null);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return m;
  }

  static void log(String fmt, Object... args) {
    System.err.printf("[bench] " + fmt + "%n", args);
  }

  static final class Row {
    boolean batching;
    int concurrency;
    int requests;
    int failed;
    double tokensPerSecond;
    long p50;
    long p99;
    double meanBatch;
    int tokens;

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "batching=%s c=%d requests=%d failed=%d tokens=%d tokens/s=%.1f p50=%d p99=%d batch=%.1f",
          batching,
          concurrency,
          requests,
          failed,
          tokens,
          tokensPerSecond,
          p50,
          p99,
          meanBatch);
    }
  }

  static final class SwapResult {
    int requests;
    int failed;
    long serviceMillis;
    long observedMillis;

    @Override
    public String toString() {
      return "swap "
          + serviceMillis
          + " ms (observed "
          + observedMillis
          + " ms), failed "
          + failed
          + "/"
          + requests;
    }
  }

  /** One packaged service process. */
  static final class Service implements AutoCloseable {
    final Process process;
    final URI base;

    private Service(Process process, URI base) {
      this.process = process;
      this.base = base;
    }

    static Service start(Path jar, Map<String, String> stackConfig, boolean batching, Path work)
        throws Exception {
      int port = Ports.choose(0);
      List<String> cmd = new ArrayList<>(List.of("java", "-Xmx2g", "-Dai.djl.offline=true"));
      stackConfig.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
      cmd.add("-Dquarkus.http.port=" + port);
      cmd.add("-Dconveyor.serving.batching.enabled=" + batching);
      cmd.add("-Dconveyor.serving.batching.max-batch-size=32");
      cmd.add("-Dconveyor.serving.limits.queue-capacity=256");
      cmd.add("-Dconveyor.serving.limits.request-timeout=120s");
      // the benchmark measures the swap itself; the post-swap watch is exercised by the tests
      cmd.add("-Dconveyor.serving.watch.window=0s");
      cmd.add("-jar");
      cmd.add(jar.toAbsolutePath().toString());
      Path logFile = work.resolve("service-" + (batching ? "batching" : "single") + ".log");
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
      Process p = pb.start();
      log("service (batching %s) on port %d, log %s", batching, port, logFile);
      return new Service(p, URI.create("http://127.0.0.1:" + port));
    }

    JsonNode generate(String prompt, int maxTokens, long seed) {
      try {
        String body =
            JSON.createObjectNode()
                .put("prompt", prompt)
                .put("max_tokens", maxTokens)
                .put("temperature", 1.0)
                .put("seed", seed)
                .toString();
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/generate"))
                    .timeout(Duration.ofSeconds(180))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          log("request failed: %d %s", r.statusCode(), r.body());
          return null;
        }
        return JSON.readTree(r.body());
      } catch (Exception e) {
        log("request failed: %s", e);
        return null;
      }
    }

    /** {count, sum} of the service's batch-size summary, from its Prometheus metrics. */
    double[] batchStats() throws Exception {
      String text =
          HTTP.send(
                  HttpRequest.newBuilder(base.resolve("/q/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      double count = 0;
      double sum = 0;
      for (String line : text.split("\n")) {
        if (line.startsWith("conveyor_serving_batch_size_count")) {
          count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } else if (line.startsWith("conveyor_serving_batch_size_sum")) {
          sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return new double[] {count, sum};
    }

    JsonNode models() throws Exception {
      return JSON.readTree(
          HTTP.send(
                  HttpRequest.newBuilder(base.resolve("/v1/models")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body());
    }

    void awaitVersion(long version, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the service exited with " + process.exitValue());
        }
        try {
          JsonNode cur = models().get("current");
          if (cur != null && !cur.isNull() && cur.get("version").asLong() == version) {
            return;
          }
        } catch (java.io.IOException notUpYet) {
          // still starting
        }
        Thread.sleep(10);
      }
      throw new IllegalStateException("version " + version + " never served");
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
