package dev.conveyor.ingest.bench;

import dev.conveyor.ingest.bench.baseline.BaselineDurablePath;
import dev.conveyor.ingest.pipeline.Limits;
import dev.conveyor.ingest.pipeline.Payload;
import dev.conveyor.ingest.repository.DatasetVersionRepository;
import dev.conveyor.ingest.repository.RecordHashRepository;
import dev.conveyor.ingest.repository.SourceState;
import dev.conveyor.ingest.repository.SourceStateRepository;
import dev.conveyor.ingest.service.VersionWriter;
import dev.conveyor.ingest.source.Pull;
import dev.conveyor.ingest.source.Source;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.StackOptions;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.S3Config;
import dev.conveyor.storage.dataset.DatasetManifest;
import io.minio.MinioClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Records/s of the whole durable ingest (validate, hash, dedup, split, write the files, upload them
 * and the manifest to S3, commit hashes + version row + cursor in PostgreSQL) for 1M short Q&A
 * records, over the real PostgreSQL and S3 of the local stack: the service's {@link VersionWriter}
 * against the pre-#7 path ({@link BaselineDurablePath}), alternating in the same JVM on the same
 * input. Run with benchmarks/ingest-service/run.sh (pins the JVM to 2 cores).
 */
public final class IngestBenchmark {
  private static final int PER_PAYLOAD = 100_000;
  // -Dbench.profile-current=true: the current path only (for a profiler), ratios are then 1
  private static final boolean PROFILE_CURRENT = Boolean.getBoolean("bench.profile-current");

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path out = Path.of(args.length > 2 ? args[2] : "target/bench-ingest.md");
    // as in the service (INFO): without a configuration the log manager lets every DEBUG/TRACE
    // message be formatted, and S3Proxy's Jetty and the JDBC driver then spend whole seconds on it
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
    Path dir = Files.createTempDirectory("ingest-bench");
    try (LocalStack stack = LocalStack.start(StackOptions.forTests(dir.resolve("stack")))) {
      Map<String, String> cfg = stack.serviceConfig("ingest");
      String url = stack.jdbcUrl("ingest");
      postmaster = postmasterPid(dir.resolve("stack"));
      Flyway.configure().dataSource(url, "postgres", "postgres").load().migrate();
      PGSimpleDataSource current = dataSource(url, "public");
      PGSimpleDataSource old = dataSource(url, "baseline");
      createBaselineSchema(current);
      MinioClient minio =
          MinioClient.builder()
              .endpoint(cfg.get("conveyor.s3.endpoint"))
              .region("us-east-1")
              .credentials(cfg.get("conveyor.s3.access-key"), cfg.get("conveyor.s3.secret-key"))
              .build();
      ObjectStore store = new ObjectStore(minio, s3Config(cfg));
      List<Payload> payloads = generate(records);
      long bytes = payloads.stream().mapToLong(p -> p.bytes().length).sum();
      StringBuilder report = new StringBuilder();
      report.append(
          String.format(
              "input: %,d records in %d payloads, %,d bytes (%.1f bytes/record); cores: %d, java %s%n%n",
              records,
              payloads.size(),
              bytes,
              bytes / (double) records,
              Runtime.getRuntime().availableProcessors(),
              System.getProperty("java.version")));
      report.append(
          "| round | path | dataset state | new | duplicates | quarantined | load s | build s |"
              + " upload + manifest (current: + inserts) s | commit s | total s | records/s | CPU s (JVM + PG) |"
              + " load avg before → after |\n");
      report.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      List<double[]> pairs = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        Run baseline = null;
        Run current1 = null;
        // alternate who goes first so neither always gets the warmer (or the quieter) slot
        for (int i = 0; i < 2; i++) {
          boolean baselineNow = (round % 2 == 1) == (i == 0);
          if (baselineNow && PROFILE_CURRENT) {
            baseline = current1;
          } else if (baselineNow) {
            baseline = baseline(store, old, payloads, "b" + round, dir, records);
            report.append(baseline.row(round, "baseline (pre-#7)", "empty"));
          } else {
            current1 = current(store, current, payloads, "n" + round, dir, records);
            report.append(current1.row(round, "**current**", "empty"));
          }
        }
        if (PROFILE_CURRENT) {
          continue;
        }
        pairs.add(new double[] {baseline.perSecond(), current1.perSecond()});
        if (round == rounds) {
          String again = "same input again (all duplicates)";
          report.append(
              baseline(store, old, payloads, "b" + round, dir, records)
                  .row(round, "baseline (pre-#7)", again));
          report.append(
              current(store, current, payloads, "n" + round, dir, records)
                  .row(round, "**current**", again));
        }
        System.out.print(report);
      }
      report.append("\ncurrent / baseline records/s per round:");
      for (double[] p : pairs) {
        report.append(String.format(" %.2f×", p[1] / p[0]));
      }
      report.append("\n");
      System.out.println(report);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report.toString());
    }
  }

  /** One measured durable ingest. */
  private record Run(
      DatasetManifest.Counts counts,
      long load,
      long build,
      long upload,
      long commit,
      long total,
      double cpu,
      String loadBefore,
      String loadAfter,
      int records) {

    double perSecond() {
      return records / s(total);
    }

    String row(int round, String path, String state) {
      return String.format(
          "| %d | %s | %s | %,d | %,d | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %,.0f | %.1f | %s → %s |%n",
          round,
          path,
          state,
          counts.train() + counts.test(),
          counts.duplicates(),
          counts.quarantined(),
          s(load),
          s(build),
          s(upload),
          s(commit),
          s(total),
          perSecond(),
          cpu,
          loadBefore,
          loadAfter);
    }
  }

  private static Run current(
      ObjectStore store,
      PGSimpleDataSource db,
      List<Payload> payloads,
      String ds,
      Path dir,
      int records)
      throws Exception {
    VersionWriter writer =
        new VersionWriter(
            100,
            Limits.defaults(),
            store,
            db,
            new RecordHashRepository(db),
            new DatasetVersionRepository(db),
            new SourceStateRepository(db));
    Source source = new BenchSource(ds);
    Pull pull = new Pull(payloads, "bench", null, false, () -> {});
    quiesce();
    String before = loadAverage();
    double cpu0 = cpuSeconds();
    long t0 = System.nanoTime();
    VersionWriter.Written w = writer.write(source, pull, dir.resolve(ds + "-" + System.nanoTime()));
    long total = System.nanoTime() - t0;
    double cpu = cpuSeconds() - cpu0;
    VersionWriter.Timings t = w.timings();
    return new Run(
        w.counts(),
        t.loadNanos(),
        t.buildNanos(),
        t.storeNanos(),
        t.commitNanos(),
        total,
        cpu,
        before,
        loadAverage(),
        records);
  }

  private static Run baseline(
      ObjectStore store,
      PGSimpleDataSource db,
      List<Payload> payloads,
      String ds,
      Path dir,
      int records)
      throws Exception {
    BaselineDurablePath path = new BaselineDurablePath(store, db);
    quiesce();
    String before = loadAverage();
    double cpu0 = cpuSeconds();
    long t0 = System.nanoTime();
    BaselineDurablePath.Outcome o =
        path.write(ds, "bench-" + ds, payloads, dir.resolve(ds + "-" + System.nanoTime()));
    long total = System.nanoTime() - t0;
    double cpu = cpuSeconds() - cpu0;
    return new Run(
        o.counts(),
        o.load(),
        o.build(),
        o.upload(),
        o.commit(),
        total,
        cpu,
        before,
        loadAverage(),
        records);
  }

  /** The V1 schema (row per hash, PK (dataset, hash)) in schema {@code baseline}. */
  private static void createBaselineSchema(PGSimpleDataSource db) throws Exception {
    String v1;
    try (InputStream in =
        IngestBenchmark.class.getResourceAsStream("/db/migration/V1__ingest.sql")) {
      v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = db.getConnection();
        Statement st = c.createStatement()) {
      st.execute("drop schema if exists baseline cascade");
      st.execute("create schema baseline");
      st.execute("set search_path = baseline");
      st.execute(v1);
    }
  }

  private static PGSimpleDataSource dataSource(String url, String schema) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser("postgres");
    ds.setPassword("postgres");
    ds.setCurrentSchema(schema);
    return ds;
  }

  private static void quiesce() throws InterruptedException {
    System.gc();
    Thread.sleep(1000);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static long postmaster = -1;

  private static long postmasterPid(Path stackDir) throws IOException {
    try (Stream<Path> files = Files.walk(stackDir)) {
      Path pid =
          files
              .filter(p -> p.getFileName().toString().equals("postmaster.pid"))
              .findFirst()
              .orElseThrow(() -> new IOException("no postmaster.pid under " + stackDir));
      return Long.parseLong(Files.readAllLines(pid).get(0).trim());
    }
  }

  /**
   * CPU seconds used so far by this JVM (incl. the in-process S3 server and Kafka) and by this
   * stack's PostgreSQL (its postmaster and the processes it forked; other stacks on the machine are
   * not counted).
   */
  private static double cpuSeconds() {
    double jvm =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1e9;
    long ticks = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          int close = stat.lastIndexOf(')');
          String[] f = stat.substring(close + 2).split(" ");
          long pid = Long.parseLong(p.getFileName().toString());
          if (pid != postmaster && Long.parseLong(f[1]) != postmaster) {
            continue; // f[1]: parent pid
          }
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
          if (pid == postmaster) {
            // backends that exited (one per closed connection) are added to their parent's
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime
          }
        } catch (IOException | RuntimeException gone) {
          // a backend that just exited
        }
      }
    } catch (IOException e) {
      return jvm;
    }
    return jvm + ticks / 100.0;
  }

  /** Short Q&A lines like the demo feed's, with ~1 % exact repeats and ~0.1 % invalid lines. */
  static List<Payload> generate(int records) {
    List<Payload> out = new ArrayList<>();
    for (int start = 0; start < records; start += PER_PAYLOAD) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(PER_PAYLOAD * 100);
      for (int i = start; i < Math.min(records, start + PER_PAYLOAD); i++) {
        int k = i % 100 == 99 ? i - 1 : i;
        String line =
            i % 1000 == 500
                ? "{\"prompt\":\"no completion " + i + "\"}\n"
                : "{\"prompt\":\"How many windows does tower "
                    + k
                    + " have?\",\"completion\":\"Tower "
                    + k
                    + " has "
                    + (k % 40)
                    + " windows.\"}\n";
        buf.writeBytes(line.getBytes(StandardCharsets.UTF_8));
      }
      out.add(new Payload("bench-" + start + ".jsonl", buf.toByteArray(), "application/x-ndjson"));
    }
    return out;
  }

  private static double s(long nanos) {
    return nanos / 1e9;
  }

  /** The benchmark's input as a source: payloads are handed over, never fetched. */
  private record BenchSource(String dataset) implements Source {
    @Override
    public String name() {
      return "bench-" + dataset;
    }

    @Override
    public String type() {
      return "directory";
    }

    @Override
    public String location() {
      return "bench";
    }

    @Override
    public String format() {
      return "qa";
    }

    @Override
    public Pull fetch(SourceState state) {
      throw new UnsupportedOperationException("the benchmark hands its payloads over");
    }
  }

  private static S3Config s3Config(Map<String, String> cfg) {
    return new S3Config() {
      @Override
      public String endpoint() {
        return cfg.get("conveyor.s3.endpoint");
      }

      @Override
      public String accessKey() {
        return cfg.get("conveyor.s3.access-key");
      }

      @Override
      public String secretKey() {
        return cfg.get("conveyor.s3.secret-key");
      }

      @Override
      public String bucket() {
        return "conveyor";
      }

      @Override
      public String region() {
        return "us-east-1";
      }
    };
  }
}
