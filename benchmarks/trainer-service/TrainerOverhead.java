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

  /** Unreported reps that warm both JVMs up first. */
  static int warmup;

  /** The service's training thread; libtorch's OpenMP workers carry the same name. */
  static final String TRAINING_THREAD = "trainer-job";

  private TrainerOverhead() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = args(argv);
    int steps = Integer.parseInt(a.getOrDefault("steps", "200"));
    int reps = Integer.parseInt(a.getOrDefault("reps", "2"));
    warmup = Integer.parseInt(a.getOrDefault("warmup", "1"));
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
      // the model module's trainer alone in its own long-lived JVM, like the service's: one run
      // per seed read from stdin, so both sides are equally warm after the unreported rep 0
      java.io.BufferedReader in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
      List<String> docs = corpus(400, 1);
      // one long-lived training thread named like the service's, so libtorch's OpenMP workers
      // (named after the thread that starts them) are counted alike on both sides
      java.util.concurrent.ExecutorService job =
          java.util.concurrent.Executors.newSingleThreadExecutor(
              r -> new Thread(r, TRAINING_THREAD));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Path dir = Files.createTempDirectory("trainer-bench-direct");
        try {
          long seed = Long.parseLong(line.trim());
          double[] r =
              job.submit(() -> direct(docs, config(steps, seed, ckpt), dir)).get();
          System.out.printf(java.util.Locale.ROOT, "RESULT %f %f %f%n", r[0], r[1], r[2]);
          System.out.flush();
        } finally {
          deleteTree(dir);
        }
      }
      job.shutdown();
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
      Path serviceLog = work.resolve("service.log");
      Path jfr = a.containsKey("jfr") ? Path.of(a.get("jfr")).toAbsolutePath() : null;
      if (jfr != null) {
        Files.createDirectories(jfr);
      }
      Process service = startService(jar, cfg, serviceLog, jfr);
      DirectChild directSide = DirectChild.start(argv, jfr);
      Runtime.getRuntime().addShutdownHook(new Thread(service::destroyForcibly));
      Runtime.getRuntime().addShutdownHook(new Thread(directSide.process::destroyForcibly));
      List<String> rows = new ArrayList<>();
      List<String> cpuRows = new ArrayList<>();
      List<double[]> pairs = new ArrayList<>();
      try {
        loads.add(loadAverage());
        // the first `warmup` reps warm both JVMs up (JIT, libtorch's pools) and are not reported
        for (int rep = 1 - warmup; rep <= reps; rep++) {
          long seed = 100 + rep;
          Map<String, Object> config = config(steps, seed, ckpt);
          String loadBefore = loadAverage();
          // alternate which side goes first, so a drift in the machine's load hits both alike
          boolean directFirst = Math.floorMod(rep, 2) == 0;
          double[] direct = null;
          ModelTrained t = null;
          double wall = 0;
          // CPU of each side's JVM by thread, and of the stack's JVM (Kafka, S3), while it ran
          CpuWindow cpuDirect = null;
          CpuWindow cpuService = null;
          for (int side = 0; side < 2; side++) {
            if ((side == 0) == directFirst) {
              cpuDirect = CpuWindow.open(directSide.process.pid());
              direct = directSide.run(seed);
              cpuDirect.close();
              System.err.printf(
                  "rep %d direct: %.0f tokens/s; CPU %s%n", rep, direct[0], cpuDirect);
            } else {
              long t0 = System.nanoTime();
              cpuService = CpuWindow.open(service.pid());
              t = viaService(stack.kafkaBootstrap(), data, config);
              cpuService.close();
              wall = (System.nanoTime() - t0) / 1e9;
              if (!t.succeeded()) {
                throw new IllegalStateException("service run failed: " + t.outcome().reason());
              }
              System.err.printf(
                  "rep %d service: %.0f tokens/s; CPU %s%n",
                  rep, t.metrics().tokensPerSecond(), cpuService);
            }
          }
          double svc = t.metrics().tokensPerSecond();
          String own = serviceTime(serviceLog, t.runId());
          if (rep <= 0) {
            continue;
          }
          pairs.add(new double[] {direct[0], svc});
          cpuRows.add(
              String.format(
                  java.util.Locale.ROOT,
                  "| %d | %.1f / %.1f | %.2f / %.2f | %.2f / %.2f | %+.1f%% | %s |",
                  rep,
                  cpuDirect.training,
                  cpuService.training,
                  cpuDirect.besides,
                  cpuService.besides,
                  cpuDirect.stack,
                  cpuService.stack,
                  100 * (cpuService.extra() - cpuDirect.extra()) / cpuDirect.training,
                  cpuService.top(4)));
          rows.add(
              String.format(
                  "| %d | %s | %,.0f | %,.0f | %+.1f%% | %s | %.4f / %.4f | %.1f s / %.1f s | %s |",
                  rep,
                  directFirst ? "direct" : "service",
                  direct[0],
                  svc,
                  100 * (direct[0] - svc) / direct[0],
                  own,
                  direct[1],
                  t.metrics().finalLoss(),
                  direct[2],
                  wall,
                  loadBefore + " -> " + loadAverage()));
        }
        loads.add(loadAverage());
      } finally {
        directSide.close();
        service.destroy();
        service.waitFor(60, TimeUnit.SECONDS);
        if (jfr != null) { // keep the service's log beside its recording
          Files.copy(
              serviceLog,
              jfr.resolve("service.log"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      double[] ratios =
          pairs.stream().mapToDouble(p -> 100 * (p[0] - p[1]) / p[0]).sorted().toArray();
      double median =
          ratios.length % 2 == 1
              ? ratios[ratios.length / 2]
              : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
      double d = pairs.stream().mapToDouble(p -> p[0]).sum();
      double s = pairs.stream().mapToDouble(p -> p[1]).sum();
      String report = report(steps, ckpt, rows, 100 * (d - s) / d, median, cpuRows);
      report =
          report.replace(
              "{shape}",
              String.format(
                  "%d layers, width %d, 4 heads, batch %d x %d tokens, BPE %d",
                  shape[0], shape[1], shape[2], shape[3], shape[4]));
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      System.out.println(report);
    }
    deleteTree(work); // the stack's data and the service's scratch; the report is written
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
              tok.vocabSize(), (int) c.get("contextLength"), shape[0], 4, shape[1], 0.0);
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
              .setCheckpointInterval((int) c.get("checkpointInterval"))
              .build();
      try (GptTrainer t = GptTrainer.fromScratch(mc, tok, tc)) {
        // the same config: the model module writes its checkpoints locally, as in the service
        t.setCheckpointDirectory(dir.resolve("checkpoints"));
        List<Example> data = docs.stream().map(Example::text).toList();
        TrainingResult r =
            t.train(
                data,
                p -> {
                  if (p.step() % 10 == 0) {
                    System.err.printf(
                        "  direct step %d tokens/s %.0f%n", p.step(), p.tokensPerSecond());
                  }
                },
                () -> false);
        return new double[] {r.tokensPerSecond(), r.finalLoss(), (System.nanoTime() - t0) / 1e9};
      }
    }
  }

  /** {@link #direct} in a long-lived child JVM with the same flags as the service's JVM. */
  static final class DirectChild implements AutoCloseable {
    final Process process;
    private final java.io.BufferedReader out;
    private final java.io.Writer in;

    private DirectChild(Process process) {
      this.process = process;
      this.out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static DirectChild start(String[] argv, Path jfr) throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx2g");
      cmd.add("-Dai.djl.offline=true");
      cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      if (jfr != null) {
        cmd.add(jfrFlag(jfr.resolve("direct.jfr")));
      }
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(TrainerOverhead.class.getName());
      cmd.addAll(List.of(argv));
      cmd.add("--direct-child");
      cmd.add("true");
      return new DirectChild(
          new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** {tokens/s, final loss, wall seconds} of one run with {@code seed}. */
    double[] run(long seed) throws Exception {
      in.write(seed + "\n");
      in.flush();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("RESULT ")) {
          String[] f = line.split(" ");
          return new double[] {
            Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])
          };
        }
      }
      throw new IllegalStateException("the direct child ended (exit " + process.waitFor() + ")");
    }

    @Override
    public void close() throws Exception {
      in.close(); // end of input: the child returns, and writes its flight recording
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /**
   * CPU seconds one side used while it ran: its JVM's training threads (the training thread and
   * libtorch's workers), the rest of its JVM, and the stack's JVM (this one: Kafka, S3).
   */
  static final class CpuWindow {
    private final long pid;
    private final Map<String, Double> sideBefore;
    private final Map<String, Double> stackBefore;
    private final double sideTotalBefore;
    private final double stackTotalBefore;
    private Map<String, Double> rest = Map.of();
    double training;
    double besides;
    double stack;

    private CpuWindow(long pid) {
      this.pid = pid;
      this.sideBefore = threadCpu(pid);
      this.stackBefore = threadCpu(ProcessHandle.current().pid());
      this.sideTotalBefore = processCpu(pid);
      this.stackTotalBefore = processCpu(ProcessHandle.current().pid());
    }

    static CpuWindow open(long pid) {
      return new CpuWindow(pid);
    }

    void close() {
      Map<String, Double> side = delta(sideBefore, threadCpu(pid));
      training = side.getOrDefault(TRAINING_THREAD, 0.0);
      side.remove(TRAINING_THREAD);
      rest = side;
      // process totals also hold threads that ended inside the window (a run's upload thread)
      besides = processCpu(pid) - sideTotalBefore - training;
      stack = processCpu(ProcessHandle.current().pid()) - stackTotalBefore;
    }

    /** CPU spent beside training: the rest of the side's JVM plus the stack. */
    double extra() {
      return besides + stack;
    }

    /** The side JVM's busiest threads besides training. */
    String top(int n) {
      return rest.entrySet().stream()
          .filter(e -> e.getValue() >= 0.01)
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .limit(n)
          .map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
          .collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "training %.1f s, rest of the JVM %.2f s (%s), stack %.2f s",
          training,
          besides,
          top(8),
          stack);
    }

    private static Map<String, Double> delta(Map<String, Double> a, Map<String, Double> b) {
      Map<String, Double> d = new java.util.TreeMap<>();
      b.forEach((k, v) -> d.put(k, v - a.getOrDefault(k, 0.0)));
      return d;
    }

  }

  /** CPU seconds (user + system) process {@code pid} has used so far, all its threads. */
  static double processCpu(long pid) {
    try {
      return cpuOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /** utime + stime of a /proc stat line (fields 14 and 15; 11 and 12 after the name). */
  static double cpuOf(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ is 100 on Linux
  }

  /** CPU seconds per thread name (digits folded) of process {@code pid}, from /proc. */
  static Map<String, Double> threadCpu(long pid) {
    Map<String, Double> m = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          m.merge(name.replaceAll("[0-9]+", "#"), cpuOf(stat), Double::sum);
        } catch (Exception gone) {
          // the thread ended between the listing and the read
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return m;
  }

  static String jfrFlag(Path file) {
    return "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + file;
  }

  /** The service's own accounting of its time on the training thread of {@code runId}. */
  static String serviceTime(Path log, String runId) throws Exception {
    java.util.regex.Pattern p =
        java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(runId)
                + ": service time on the training thread ([0-9.]+) ms of ([0-9.]+) s in train\\(\\)"
                + " \\(([0-9.]+)%\\)");
    String found = "?";
    for (String line : Files.readAllLines(log)) {
      java.util.regex.Matcher m = p.matcher(line);
      if (m.find()) {
        found = m.group(1) + " ms (" + m.group(3) + "%)";
      }
    }
    return found;
  }

  static void deleteTree(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
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
                "bootstrap.servers",
                bootstrap,
                "group.id",
                "bench-" + System.nanoTime(),
                "auto.offset.reset",
                "earliest"),
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

  static Process startService(String jar, Map<String, String> cfg, Path log, Path jfr)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    if (jfr != null) {
      cmd.add(jfrFlag(jfr.resolve("service.jfr")));
    }
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
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // the service refuses to start without an admin password (POST /runs); any value serves here
    pb.environment().put("CONVEYOR_ADMIN_PASSWORD", java.util.UUID.randomUUID().toString());
    return pb.start();
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
    files.put(
        DatasetLayout.TEST, new DatasetManifest.FileEntry(Digests.of(empty), empty.length, 0));
    DatasetManifest m =
        new DatasetManifest(
            "bench-corpus",
            1,
            null,
            null,
            Instant.now().toString(),
            DatasetManifest.KIND_TEXT,
            List.of(),
            new DatasetManifest.Counts(docs.size(), 0, 0, 0),
            new DatasetManifest.Split("none", 0),
            files);
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
                    words.size() - 1,
                    Math.floor(Math.exp(r.nextDouble() * Math.log(words.size()))));
        sb.append(words.get(rank)).append(i % 12 == 11 ? ". " : " ");
      }
      docs.add(sb.toString());
    }
    return docs;
  }

  static String report(
      int steps,
      int ckpt,
      List<String> rows,
      double overheadPct,
      double medianPct,
      List<String> cpuRows) {
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
        + "Same run, interleaved: the model module's `GptTrainer` called directly (the"
        + " model\n"
        + "benchmark's corpus and trainer; {shape}) in one long-lived child JVM vs the"
        + " packaged\n"
        + "trainer-service (its own long-lived JVM, same flags: -Xmx2g) consuming a"
        + " `train-requested`\n"
        + "with the same hyper-parameters over the local stack (Kafka, S3). Both sides write"
        + " a\n"
        + "checkpoint every "
        + ckpt
        + " steps (the model module, locally); the service also uploads each to S3.\n"
        + "Both throughput columns are `TrainingResult.tokensPerSecond` of "
        + steps
        + " steps (tokens / wall time\n"
        + "of `train()`; the service reports it in `model-trained.metrics`). "
        + warmup
        + " unreported rep(s) warm\nboth JVMs up first; the side that runs first alternates. \"service time\" is the\n"
        + "service's own clock of the time its callbacks took on the training thread inside\n"
        + "`train()` (progress bookkeeping, metrics, throttled log/event, checkpoint hand-off),"
        + " read\n"
        + "from its log. Wall = tokenizer + training (direct) vs request published ->"
        + " model-trained\n"
        + "received (service: also dataset download, artifact upload). Equal final losses show"
        + " both\n"
        + "sides computed the same run.\n\n"
        + "Machine: "
        + cpu
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores (shared with other engineers' builds; 1-min load average "
        + String.join(" -> ", loads)
        + " over the run), "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.version")
        + ".\n\n"
        + "| rep | first | direct tokens/s | service tokens/s | overhead | service time on the"
        + " training thread | final loss direct / service | wall direct / service | load 1-min"
        + " before -> after |\n"
        + "|---|---|---|---|---|---|---|---|---|\n"
        + String.join("\n", rows)
        + "\n\n"
        + String.format(
            "**Overhead: median of the reps %+.1f%%, over all reps (sum of tokens/s) %+.1f%%**"
                + " (target < 5%%).%n",
            medianPct, overheadPct)
        + "\nCPU seconds (user + system, per thread from /proc) while each side ran, whole runs"
        + " (the\nservice's window also holds the request, dataset download and artifact upload):"
        + " the training\nthreads (the `"
        + TRAINING_THREAD
        + "` thread and libtorch's OpenMP workers, on both sides), the rest of\nthe side's JVM,"
        + " and the JVM of the local stack (Kafka, S3) that serves the service's events,\n"
        + "heartbeats and uploads. Extra = CPU beside training (rest of the JVM + stack), service"
        + " minus\ndirect, relative to the direct side's training CPU.\n\n"
        + "| rep | training threads CPU s direct / service | rest of the JVM direct / service |"
        + " stack during direct / service | extra CPU | the service JVM's busiest other threads"
        + " (s) |\n"
        + "|---|---|---|---|---|---|\n"
        + String.join("\n", cpuRows)
        + "\n"
        + "\nRun: `benchmarks/trainer-service/run.sh [REPS] [STEPS] [CHECKPOINT_INTERVAL] [flags]`"
        + " (`--jfr DIR` records both JVMs with JFR).\n";
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
