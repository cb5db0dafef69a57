package dev.conveyor.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.ingest.ScriptedFeedResource;
import dev.conveyor.ingest.pipeline.ContentHash;
import dev.conveyor.ingest.pipeline.HashList;
import dev.conveyor.ingest.pipeline.Limits;
import dev.conveyor.ingest.pipeline.Payload;
import dev.conveyor.ingest.repository.DatasetVersionRepository;
import dev.conveyor.ingest.repository.KnownHashes;
import dev.conveyor.ingest.repository.RecordHashRepository;
import dev.conveyor.ingest.repository.SourceState;
import dev.conveyor.ingest.repository.SourceStateRepository;
import dev.conveyor.ingest.source.Pull;
import dev.conveyor.ingest.source.Source;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.S3Config;
import dev.conveyor.storage.dataset.DatasetLayout;
import io.minio.MinioClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The durable path over the local stack's real PostgreSQL and S3 (own databases, so the running
 * service never sees these versions): hashes committed with the version, de-duplication across
 * writers, a stale writer refused, a failed upload leaving nothing, and the V1 to V2 migration of
 * the hash table. A @QuarkusTest with IngestFlowTest's resources only to share its stack (one per
 * JVM).
 */
@QuarkusTest
@WithTestResource(
    value = LocalStackResource.class,
    initArgs = @ResourceArg(name = "database", value = "ingest"))
@WithTestResource(ScriptedFeedResource.class)
class VersionWriterTest {
  private static PGSimpleDataSource db;
  private static ObjectStore store;
  private static ObjectStore missingBucket;
  private static LocalStack stack;
  @TempDir Path tmp;

  @BeforeAll
  static void database() throws Exception {
    stack = LocalStackResource.shared();
    db = freshDatabase("ingest_writer_test");
    Flyway.configure().dataSource(db).load().migrate();
    Map<String, String> cfg = stack.serviceConfig("ingest");
    MinioClient minio =
        MinioClient.builder()
            .endpoint(cfg.get("conveyor.s3.endpoint"))
            .region("us-east-1")
            .credentials(cfg.get("conveyor.s3.access-key"), cfg.get("conveyor.s3.secret-key"))
            .build();
    store = new ObjectStore(minio, s3(cfg, "conveyor"));
    missingBucket = new ObjectStore(minio, s3(cfg, "no-such-bucket"));
  }

  @Test
  void versionsCommitTheirHashesAndAStaleWriterIsRefused() throws Exception {
    String ds = "vw-qa";
    Source src = new TestSource("vw-src", ds);
    VersionWriter a = writer(store);
    VersionWriter.Written v1 = a.write(src, pull("c1", 0, 3000), tmp.resolve("1"));
    assertEquals(1, v1.version().version());
    assertEquals(3000, v1.counts().train() + v1.counts().test());
    assertEquals(3000L * 32, hashBytes(ds, 1));
    assertTrue(store.exists(DatasetLayout.manifestKey(ds, 1)));

    // another instance (fresh hashes from the database): records 2000..2999 are duplicates
    VersionWriter b = writer(store);
    VersionWriter.Written v2 = b.write(src, pull("c2", 2000, 5000), tmp.resolve("2"));
    assertEquals(2, v2.version().version());
    assertEquals(2000, v2.counts().train() + v2.counts().test());
    assertEquals(1000, v2.counts().duplicates());
    assertEquals(2000L * 32, hashBytes(ds, 2));

    // the first instance still holds the hashes as of v1: what it would commit could repeat v2
    IllegalStateException stale =
        assertThrows(
            IllegalStateException.class,
            () -> a.write(src, pull("c3", 4000, 6000), tmp.resolve("3")));
    assertTrue(stale.getMessage().contains("v2 was committed after"), stale.getMessage());
    assertEquals(2, versionCount(ds));
    assertEquals("c2", new SourceStateRepository(db).find("vw-src").cursor());

    // reloaded, it sees v1 and v2: only 5000..5999 are new
    a.forget(ds);
    VersionWriter.Written v3 = a.write(src, pull("c3", 4000, 6000), tmp.resolve("4"));
    assertEquals(3, v3.version().version());
    assertEquals(1000, v3.counts().train() + v3.counts().test());
    assertEquals(1000, v3.counts().duplicates());
    KnownHashes known = new RecordHashRepository(db).load(ds);
    assertEquals(3, known.version());
    assertEquals(6000, known.set().size());
    assertTrue(known.set().contains(ContentHash.qa("question 5999", "answer 5999")));

    // everything again: no version, the cursor still moves
    VersionWriter.Written none = writer(store).write(src, pull("c4", 0, 6000), tmp.resolve("5"));
    assertNull(none.version());
    assertEquals(6000, none.counts().duplicates());
    assertEquals(3, versionCount(ds));
    assertEquals("c4", new SourceStateRepository(db).find("vw-src").cursor());
  }

  @Test
  void aFailedUploadLeavesNoStateBehind() throws Exception {
    String ds = "vw-broken";
    Source src = new TestSource("vw-broken-src", ds);
    assertThrows(
        RuntimeException.class,
        () -> writer(missingBucket).write(src, pull("c1", 0, 500), tmp.resolve("x")));
    assertEquals(0, versionCount(ds));
    assertEquals(0, hashBytes(ds, 1));
    assertNull(new SourceStateRepository(db).find("vw-broken-src").lastSuccessAt());
    // and the same pull then goes through with a reachable bucket
    VersionWriter.Written v1 = writer(store).write(src, pull("c1", 0, 500), tmp.resolve("y"));
    assertEquals(1, v1.version().version());
    assertEquals(500L * 32, hashBytes(ds, 1));
  }

  @Test
  void aSecondWriterOfTheSameVersionWaitsAndUploadsNothing() throws Exception {
    String ds = "vw-race";
    Source src = new TestSource("vw-race-src", ds);
    writer(store).write(src, pull("c1", 0, 100), tmp.resolve("r1"));
    VersionWriter b = writer(store);
    assertNull(b.write(src, pull("c1", 0, 100), tmp.resolve("r2")).version()); // b is at v1
    String train = DatasetLayout.prefix(ds, 2) + DatasetLayout.TRAIN;
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection a = db.getConnection()) {
      // another instance in the middle of committing v2: row inserted, uploads running
      a.setAutoCommit(false);
      try (Statement st = a.createStatement()) {
        st.execute(versionRow(ds, 2));
      }
      Future<VersionWriter.Written> second =
          pool.submit(() -> b.write(src, pull("c2", 100, 200), tmp.resolve("r3")));
      Thread.sleep(1500);
      assertFalse(second.isDone(), "waits on v2's key");
      assertFalse(store.exists(train), "uploads nothing while it waits");
      a.commit();
      ExecutionException e = assertThrows(ExecutionException.class, second::get);
      assertTrue(
          e.getCause().getMessage().contains("dataset_version_pkey"), e.getCause().getMessage());
    } finally {
      pool.shutdownNow();
    }
    assertFalse(store.exists(train));
    assertEquals("c1", new SourceStateRepository(db).find("vw-race-src").cursor());
  }

  @Test
  void migrationTwoPacksTheRowPerHashTableIntoChunks() throws Exception {
    PGSimpleDataSource old = freshDatabase("ingest_migration_test");
    Flyway.configure().dataSource(old).target("1").load().migrate();
    int n = HashList.CHUNK + 10;
    try (Connection c = old.getConnection()) {
      c.setAutoCommit(false);
      for (long v = 1; v <= 2; v++) {
        try (Statement st = c.createStatement()) {
          st.execute(versionRow("m", v));
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("insert into record_hash (dataset, hash, version) values (?, ?, ?)")) {
        for (int i = 0; i < n; i++) {
          ps.setString(1, "m");
          ps.setBytes(2, ContentHash.text("m " + i));
          ps.setLong(3, i < 5 ? 1 : 2);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
    Flyway.configure().dataSource(old).load().migrate();
    KnownHashes known = new RecordHashRepository(old).load("m");
    assertEquals(2, known.version());
    assertEquals(n, known.set().size());
    for (int i = 0; i < n; i++) {
      assertTrue(known.set().contains(ContentHash.text("m " + i)), "hash " + i);
    }
    try (Connection c = old.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select version, count(*), sum(octet_length(hashes)) from record_hash_chunk"
                    + " group by version order by version")) {
      assertTrue(rs.next());
      assertEquals(List.of(1L, 1L, 5L * 32), List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
      assertTrue(rs.next());
      assertEquals(
          List.of(2L, 2L, (n - 5L) * 32), List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }
  }

  private static String versionRow(String ds, long v) {
    return "insert into dataset_version (dataset, version, source, manifest_uri, manifest_digest,"
        + " event_id, event_json, train_count, test_count, quarantined, duplicates, created_at)"
        + " values ('"
        + ds
        + "', "
        + v
        + ", 's', 'u', 'd', 'e-"
        + ds
        + v
        + "', '{}', 0, 0, 0, 0, now())";
  }

  private static VersionWriter writer(ObjectStore s) {
    return new VersionWriter(
        100,
        Limits.defaults(),
        s,
        db,
        new RecordHashRepository(db),
        new DatasetVersionRepository(db),
        new SourceStateRepository(db));
  }

  /** Q&A records {@code from..to-1} as one JSON Lines payload. */
  private static Pull pull(String cursor, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("{\"prompt\":\"question ")
          .append(i)
          .append("\",\"completion\":\"answer ")
          .append(i)
          .append("\"}\n");
    }
    Payload p =
        new Payload(
            "records-" + from + ".jsonl", sb.toString().getBytes(StandardCharsets.UTF_8), null);
    return new Pull(List.of(p), cursor, null, false, () -> {});
  }

  private static long hashBytes(String ds, long version) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select coalesce(sum(octet_length(hashes)), 0) from record_hash_chunk"
                    + " where dataset = ? and version = ?")) {
      ps.setString(1, ds);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long versionCount(String ds) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select count(*) from dataset_version where dataset = ?")) {
      ps.setString(1, ds);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static PGSimpleDataSource freshDatabase(String name) throws Exception {
    try (Connection c =
            java.sql.DriverManager.getConnection(
                stack.jdbcUrl("postgres"), "postgres", "postgres");
        Statement st = c.createStatement()) {
      st.execute("drop database if exists " + name);
      st.execute("create database " + name);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(stack.jdbcUrl(name));
    ds.setUser("postgres");
    ds.setPassword("postgres");
    return ds;
  }

  private static S3Config s3(Map<String, String> cfg, String bucket) {
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
        return bucket;
      }

      @Override
      public String region() {
        return "us-east-1";
      }
    };
  }

  private record TestSource(String name, String dataset) implements Source {
    @Override
    public String type() {
      return "directory";
    }

    @Override
    public String location() {
      return "test";
    }

    @Override
    public String format() {
      return "qa";
    }

    @Override
    public Pull fetch(SourceState state) {
      throw new UnsupportedOperationException("the test hands its payloads over");
    }
  }
}
