package dev.conveyor.ingest.bench;

import dev.conveyor.ingest.pipeline.HashSet128;
import dev.conveyor.ingest.pipeline.Limits;
import dev.conveyor.ingest.pipeline.Payload;
import dev.conveyor.ingest.pipeline.PayloadParser;
import dev.conveyor.ingest.pipeline.VersionBuilder;
import dev.conveyor.ingest.repository.RecordHashRepository;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.StackOptions;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.S3Config;
import io.minio.MinioClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * Records/s of validate + dedup + split + write for 1M short Q&A records, over the real PostgreSQL
 * and S3 of the local stack, using the service's own pipeline classes. Run with
 * benchmarks/ingest-service/run.sh (pins the JVM to 2 cores).
 */
public final class IngestBenchmark {
  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path out = Path.of(args.length > 2 ? args[2] : "target/bench-ingest.md");
    Path dir = Files.createTempDirectory("ingest-bench");
    try (LocalStack stack = LocalStack.start(StackOptions.forTests(dir.resolve("stack")))) {
      Map<String, String> cfg = stack.serviceConfig("ingest");
      Flyway.configure()
          .dataSource(stack.jdbcUrl("ingest"), "postgres", "postgres")
          .load()
          .migrate();
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
              "input: %,d records in %d payloads, %,d bytes (%.1f bytes/record); ",
              records, payloads.size(), bytes, bytes / (double) records));
      report
          .append("cores: ")
          .append(Runtime.getRuntime().availableProcessors())
          .append(", java ")
          .append(System.getProperty("java.version"))
          .append("\n\n");
      report.append(
          "| run | dataset state | new | duplicates | quarantined | parse+validate+hash+dedup+split+gzip s | COPY hashes s | S3 upload s | total s | records/s (total) | records/s (without S3) |\n");
      report.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (int round = 1; round <= rounds; round++) {
        String ds = "bench-" + round;
        report.append(once(stack, store, payloads, ds, dir, "empty", round));
        if (round == rounds) {
          report.append(
              once(stack, store, payloads, ds, dir, "same 1M again (all duplicates)", round));
        }
      }
      System.out.println(report);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report.toString());
    }
  }

  private static String once(
      LocalStack stack,
      ObjectStore store,
      List<Payload> payloads,
      String ds,
      Path dir,
      String state,
      int round)
      throws Exception {
    System.gc();
    long t0 = System.nanoTime();
    HashSet128 known;
    VersionBuilder.Result built;
    try (Connection c =
        DriverManager.getConnection(stack.jdbcUrl("ingest"), "postgres", "postgres")) {
      known = load(c, ds);
      PayloadParser parser = new PayloadParser(Limits.defaults());
      try (VersionBuilder b =
          new VersionBuilder(dir.resolve(ds + "-" + System.nanoTime()), 100, known)) {
        for (Payload p : payloads) {
          parser.parse(p, "qa", b);
        }
        built = b.finish();
      }
      long t1 = System.nanoTime();
      c.setAutoCommit(false);
      RecordHashRepository.copy(c, ds, round * 10L + (known.size() > 0 ? 1 : 0), built.hashes());
      c.commit();
      long t2 = System.nanoTime();
      String prefix = "datasets/" + ds + "/v" + System.nanoTime() + "/";
      for (String f : built.files().keySet()) {
        store.putFile(prefix + f, built.dir().resolve(f), "application/gzip");
      }
      long t3 = System.nanoTime();
      long n = payloads.size() * (long) PER_PAYLOAD;
      var cnt = built.counts();
      return String.format(
          "| %d | %s | %,d | %,d | %,d | %.2f | %.2f | %.2f | %.2f | %,.0f | %,.0f |%n",
          round,
          state,
          cnt.train() + cnt.test(),
          cnt.duplicates(),
          cnt.quarantined(),
          s(t1 - t0),
          s(t2 - t1),
          s(t3 - t2),
          s(t3 - t0),
          n / s(t3 - t0),
          n / s(t2 - t0));
    }
  }

  private static HashSet128 load(Connection c, String ds) throws Exception {
    c.setAutoCommit(false);
    HashSet128 set = new HashSet128(1024);
    try (var ps = c.prepareStatement("select hash from record_hash where dataset = ?")) {
      ps.setFetchSize(50_000);
      ps.setString(1, ds);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          set.add(rs.getBytes(1));
        }
      }
    }
    c.commit();
    c.setAutoCommit(true);
    return set;
  }

  private static final int PER_PAYLOAD = 100_000;

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
