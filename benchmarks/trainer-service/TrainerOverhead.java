package dev.conveyor.benchmarks.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.StackOptions;
import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import dev.conveyor.model.train.TrainingResult;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.S3Config;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import io.minio.MinioClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Training tokens/s of the trainer-service (packaged jar, real Kafka + S3, checkpoints uploaded)
 * against the model module's trainer called directly with the same data, tokenizer, model and
 * hyper-parameters, interleaved in one run. Both numbers are {@code TrainingResult.tokensPerSecond}
 * (tokens of the run / wall time of {@code train()}), so the difference is what the service adds
 * inside the training loop: progress events, metrics, heartbeats and checkpoint uploads.
 */
public final class TrainerOverhead {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** layers, width, batch, sequence length, vocabulary (the model benchmark's defaults). */
  static int[] shape;

  static final List<String> loads = new ArrayList<>();

  private TrainerOverhead() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = args(argv);
    int steps = Integer.parseInt(a.getOrDefault("steps", "200"));
    int reps = Integer.parseInt(a.getOrDefault("reps", "2"));
    int ckpt = Integer.parseInt(a.getOrDefault("checkpoint-interval", "100"));
    shape =
        new int[] {
          Integer.parseInt(a.getOrDefault("layers", "4")),
          Integer.parseInt(a.getOrDefault("width", "128")),
          Integer.parseInt(a.getOrDefault("batch", "32")),
          Integer.parseInt(a.getOrDefault("seq", "128")),
          Integer.parseInt(a.getOrDefault("vocab", "2048"))
        };
    if (a.containsKey("direct-child")) {
      // the model module's trainer alone in a fresh JVM, as the model benchmark runs it
      double[] r =
          direct(
              corpus(400, 1),
              config(steps, Long.parseLong(a.get("direct-child")), ckpt),
              Files.createTempDirectory("trainer-bench-direct"));
      System.out.printf("RESULT %f %f %f%n", r[0], r[1], r[2]);
      return;
    }
    String jar = a.getOrDefault("jar", "trainer-service/target/quarkus-app/quarkus-run.jar");
    Path out = Path.of(a.getOrDefault("out", "benchmarks/results/trainer-service.md"));
    Path work = Files.createTempDirectory("trainer-bench");
    List<String> docs = corpus(400, 1);
    try (LocalStack stack = LocalStack.start(StackOptions.forTests(work.resolve("stack")))) {
      Map<String, String> cfg = stack.serviceConfig("postgres");
      ObjectStore store = store(cfg);
      DatasetRef data = writeCorpus(store, docs);
      Process service = startService(jar, cfg, work.resolve("service.log"));
      Runtime.getRuntime().addShutdownHook(new Thread(service::destroyForcibly));
      List<String> rows = new ArrayList<>();
      List<double[]> pairs = new ArrayList<>();
      try {
        loads.add(loadAverage());
        for (int rep = 0; rep <= reps; rep++) { // rep 0 warms both JVMs up and is not reported
          long seed = 100 + rep;
          Map<String, Object> config = config(steps, seed, ckpt);
          double[] direct = directChild(argv, seed);
          System.err.printf("rep %d direct: %.0f tokens/s%n", rep, direct[0]);
          long t0 = System.nanoTime();
          ModelTrained t = viaService(stack.kafkaBootstrap(), data, config);
          double wall = (System.nanoTime() - t0) / 1e9;
          if (!t.succeeded()) {
            throw new IllegalStateException("service run failed: " + t.outcome().reason());
          }
          double svc = t.metrics().tokensPerSecond();
          System.err.printf("rep %d service: %.0f tokens/s%n", rep, svc);
          if (rep == 0) {
            continue;
          }
          pairs.add(new double[] {direct[0], svc});
          rows.add(
              String.format(
                  "| %d | %,.0f | %,.0f | %+.1f%% | %.4f / %.4f | %.1f s / %.1f s |",
                  rep,
                  direct[0],
                  svc,
                  100 * (direct[0] - svc) / direct[0],
                  direct[1],
                  t.metrics().finalLoss(),
                  direct[2],
                  wall));
        }
        loads.add(loadAverage());
      } finally {
        service.destroy();
        service.waitFor(60, TimeUnit.SECONDS);
      }
      double d = pairs.stream().mapToDouble(p -> p[0]).sum();
      double s = pairs.stream().mapToDouble(p -> p[1]).sum();
      String report = report(steps, ckpt, rows, 100 * (d - s) / d);
      report = report.replace("{shape}", String.format("%d layers, width %d, 4 heads, batch %d x %d tokens, BPE %d", shape[0], shape[1], shape[2], shape[3], shape[4]));
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      System.out.println(report);
    }
  }

  static Map<String, Object> config(int steps, long seed, int ckpt) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("vocabSize", shape[4]);
    c.put("contextLength", Math.max(shape[3], 64));
    c.put("layers", shape[0]);
    c.put("heads", 4);
    c.put("width", shape[1]);
    c.put("dropout", 0.0);
    c.put("steps", steps);
    c.put("batchSize", shape[2]);
    c.put("sequenceLength", shape[3]);
    c.put("learningRate", 1e-3);
    c.put("minLearningRate", 1e-4);
    c.put("warmupSteps", 10);
    c.put("weightDecay", 0.1);
    c.put("beta1", 0.9);
    c.put("beta2", 0.95);
    c.put("clipNorm", 1.0);
    c.put("seed", seed);
    c.put("checkpointInterval", ckpt);
    return c;
  }

  /** The model module's trainer, called directly: {tokens/s, final loss, wall seconds}. */
  static double[] direct(List<String> docs, Map<String, Object> c, Path dir) throws Exception {
    long t0 = System.nanoTime();
    Files.createDirectories(dir);
    try (TextTokenizer tok =
        TextTokenizer.train(docs, (int) c.get("vocabSize"), dir.resolve("tokenizer.json"))) {
      ModelConfig mc =
          new ModelConfig(
              tok.vocabSize(),
              (int) c.get("contextLength"),
              shape[0],
              4,
              shape[1],
              0.0);
      TrainingConfig tc =
          TrainingConfig.builder()
              .setSteps((int) c.get("steps"))
              .setBatchSize(shape[2])
              .setSequenceLength(shape[3])
              .setLearningRate(1e-3)
              .setMinLearningRate(1e-4)
              .setWarmupSteps(10)
              .setWeightDecay(0.1)
              .setBetas(0.9, 0.95)
              .setClipNorm(1.0)
              .setSeed((long) c.get("seed"))
              .build();
      try (GptTrainer t = GptTrainer.fromScratch(mc, tok, tc)) {
        List<Example> data = docs.stream().map(Example::text).toList();
        TrainingResult r =
            t.train(
                data,
                p -> {
                  if (p.step() % 10 == 0) {
                    System.err.printf("  direct step %d tokens/s %.0f%n", p.step(), p.tokensPerSecond());
                  }
                },
                () -> false);
        return new double[] {r.tokensPerSecond(), r.finalLoss(), (System.nanoTime() - t0) / 1e9};
      }
    }
  }

  /** Runs {@link #direct} in a child JVM with the same flags as the service's JVM. */
  static double[] directChild(String[] argv, long seed) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrainerOverhead.class.getName());
    cmd.addAll(List.of(argv));
    cmd.add("--direct-child");
    cmd.add(String.valueOf(seed));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("direct run failed: " + out);
    }
    String line =
        out.lines()
            .filter(l -> l.startsWith("RESULT "))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no RESULT in " + out));
    String[] f = line.split(" ");
    return new double[] {
      Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])
    };
  }

  static ModelTrained viaService(String bootstrap, DatasetRef data, Map<String, Object> config)
      throws Exception {
    TrainRequested req =
        new TrainRequested(
            "bench-" + System.nanoTime(),
            "bench",
            data,
            BaseModel.scratch(),
            config,
            TrainRequested.Reason.MANUAL,
            "benchmark");
    CloudEventMeta meta = CloudEventMeta.create(EventTypes.TRAIN_REQUESTED, Sources.CLI);
    try (var p =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      var record = new ProducerRecord<>(Topics.TRAIN_REQUESTED, req.key(), EventCodec.encode(req));
      CloudEventHeaders.encode(meta)
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      p.send(record).get(30, TimeUnit.SECONDS);
    }
    try (var c =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers", bootstrap,
                "group.id", "bench-" + System.nanoTime(),
                "auto.offset.reset", "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      c.subscribe(List.of(Topics.MODEL_TRAINED));
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          Map<String, String> h = new LinkedHashMap<>();
          r.headers().forEach(x -> h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8)));
          CloudEvent<?> e = CloudEventHeaders.read(Topics.MODEL_TRAINED, h, r.value());
          if (e.data() instanceof ModelTrained t && t.requestId().equals(req.requestId())) {
            return t;
          }
        }
      }
    }
    throw new IllegalStateException("no model-trained for " + req.requestId());
  }

  static Process startService(String jar, Map<String, String> cfg, Path log) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dquarkus.http.port=0");
    cfg.forEach(
        (k, v) -> {
          if (k.startsWith("kafka.") || k.startsWith("conveyor.s3.")) {
            cmd.add("-D" + k + "=" + v);
          }
        });
    cmd.add("-jar");
    cmd.add(jar);
    System.err.println("service log: " + log);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static DatasetRef writeCorpus(ObjectStore store, List<String> docs) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (String d : docs) {
      Map<String, String> rec = new LinkedHashMap<>();
      rec.put("id", Digests.of(d.getBytes(StandardCharsets.UTF_8)).substring(7));
      rec.put("text", d);
      lines.append(JSON.writeValueAsString(rec)).append('\n');
    }
    byte[] train = gzip(lines.toString());
    byte[] empty = gzip("");
    String prefix = DatasetLayout.prefix("bench-corpus", 1);
    store.put(prefix + DatasetLayout.TRAIN, train, "application/gzip");
    store.put(prefix + DatasetLayout.TEST, empty, "application/gzip");
    Map<String, DatasetManifest.FileEntry> files = new LinkedHashMap<>();
    files.put(
        DatasetLayout.TRAIN,
        new DatasetManifest.FileEntry(Digests.of(train), train.length, docs.size()));
    files.put(DatasetLayout.TEST, new DatasetManifest.FileEntry(Digests.of(empty), empty.length, 0));
    DatasetManifest m =
        new DatasetManifest(
            "bench-corpus", 1, null, null, Instant.now().toString(), DatasetManifest.KIND_TEXT,
            List.of(), new DatasetManifest.Counts(docs.size(), 0, 0, 0),
            new DatasetManifest.Split("none", 0), files);
    byte[] manifest = m.toJson();
    store.put(DatasetLayout.manifestKey("bench-corpus", 1), manifest, "application/json");
    return new DatasetRef("bench-corpus", 1, Digests.of(manifest));
  }

  static ObjectStore store(Map<String, String> cfg) {
    S3Config s3 =
        new S3Config() {
          public String endpoint() {
            return cfg.get("conveyor.s3.endpoint");
          }

          public String accessKey() {
            return cfg.get("conveyor.s3.access-key");
          }

          public String secretKey() {
            return cfg.get("conveyor.s3.secret-key");
          }

          public String bucket() {
            return cfg.get("conveyor.s3.bucket");
          }

          public String region() {
            return "us-east-1";
          }
        };
    return new ObjectStore(
        MinioClient.builder()
            .endpoint(s3.endpoint())
            .region(s3.region())
            .credentials(s3.accessKey(), s3.secretKey())
            .build(),
        s3);
  }

  /** The synthetic corpus of the model benchmark (benchmarks.model.BenchArgs#corpus). */
  static List<String> corpus(int documents, long seed) {
    String[] syllables = {
      "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "pa", "qu", "ri", "do", "fe", "gu",
      "ha", "ji", "ko", "lu", "ma", "no", "pe", "ra", "si", "tu", "va", "we", "xo", "yi", "zu"
    };
    Random r = new Random(seed);
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      StringBuilder w = new StringBuilder();
      int n = 1 + r.nextInt(4);
      for (int s = 0; s < n; s++) {
        w.append(syllables[r.nextInt(syllables.length)]);
      }
      words.add(w.toString());
    }
    List<String> docs = new ArrayList<>();
    for (int d = 0; d < documents; d++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 120; i++) {
        int rank =
            (int)
                Math.min(
                    words.size() - 1, Math.floor(Math.exp(r.nextDouble() * Math.log(words.size()))));
        sb.append(words.get(rank)).append(i % 12 == 11 ? ". " : " ");
      }
      docs.add(sb.toString());
    }
    return docs;
  }

  static String report(int steps, int ckpt, List<String> rows, double overheadPct) {
    String cpu = "unknown";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.split(":", 2)[1].trim())
              .orElse(cpu);
    } catch (Exception ignored) {
      // not Linux
    }
    return "# trainer-service: training throughput vs the model module\n\n"
        + "Same run, interleaved, each side in its own fresh JVM with the same flags (-Xmx2g),\n"
        + "while the local stack runs: the model module's `GptTrainer` called directly (the model\n"
        + "benchmark's corpus and trainer; {shape}) vs the packaged trainer-service consuming a\n"
        + "`train-requested` with the same hyper-parameters over the local stack (Kafka, S3),\n"
        + "checkpointing to S3 every "
        + ckpt
        + " steps. Both columns are `TrainingResult.tokensPerSecond` of "
        + steps
        + " steps\n(the service reports it in `model-trained.metrics`). Wall = tokenizer + training\n"
        + "(direct, in the child) vs request published -> model-trained received (service, includes\n"
        + "dataset download, JVM already up,\n"
        + "checkpoint and artifact upload). A first, unreported pair warms the service up.\n"
        + "Equal final losses show both sides computed the same run.\n\n"
        + "Machine: "
        + cpu
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores (shared with other builds; 1-min load average "
        + String.join(" -> ", loads)
        + " during the run), "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.version")
        + ".\n\n"
        + "| rep | direct tokens/s | service tokens/s | overhead | final loss direct / service | wall direct / service |\n"
        + "|---|---|---|---|---|---|\n"
        + String.join("\n", rows)
        + "\n\n"
        + String.format("**Overhead over all reps: %+.1f%%** (target < 5%%).%n", overheadPct)
        + "\nRun: `benchmarks/trainer-service/run.sh [REPS] [STEPS] [CHECKPOINT_INTERVAL] [flags]`.\n";
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  static byte[] gzip(String s) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  static Map<String, String> args(String[] argv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      m.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    return m;
  }
}
