package dev.conveyor.ingest.bench.baseline;

import dev.conveyor.events.DataArrived;
import dev.conveyor.events.EventCodec;
import dev.conveyor.ingest.messaging.DataArrivedPublisher;
import dev.conveyor.ingest.pipeline.Limits;
import dev.conveyor.ingest.pipeline.Payload;
import dev.conveyor.ingest.pipeline.PayloadParser;
import dev.conveyor.ingest.pipeline.Split;
import dev.conveyor.ingest.repository.DatasetVersionRepository;
import dev.conveyor.ingest.repository.SourceStateRepository;
import dev.conveyor.ingest.repository.VersionRow;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StoredObject;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The durable path as it was before issue #7's speed-up, frozen for comparison in the same run:
 * one-thread build ({@link BaselineVersionBuilder}), sequential uploads, then one transaction with
 * a text COPY of every hash into {@code record_hash} (PK {@code (dataset, hash)}, schema V1, here
 * in schema {@code baseline}), the version row and the cursor. Same steps and order as the old
 * {@code IngestService.attempt/publishVersion}.
 */
public final class BaselineDurablePath {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private final ObjectStore store;
  private final DataSource db;
  private final DatasetVersionRepository versions;
  private final SourceStateRepository states;

  /**
   * @param db connections whose search_path is the {@code baseline} schema
   */
  public BaselineDurablePath(ObjectStore store, DataSource db) {
    this.store = store;
    this.db = db;
    this.versions = new DatasetVersionRepository(db);
    this.states = new SourceStateRepository(db);
  }

  /** Step times in nanoseconds and the counts. */
  public record Outcome(
      DatasetManifest.Counts counts, long load, long build, long upload, long commit) {}

  public Outcome write(String ds, String source, List<Payload> payloads, Path stage)
      throws Exception {
    long t0 = System.nanoTime();
    BaselineHashSet128 seen = load(ds);
    long t1 = System.nanoTime();
    PayloadParser parser = new PayloadParser(Limits.defaults());
    BaselineVersionBuilder.Result built;
    try (BaselineVersionBuilder b = new BaselineVersionBuilder(stage, 100, seen)) {
      for (Payload p : payloads) {
        parser.parse(p, "qa", b);
      }
      built = b.finish();
    }
    long t2 = System.nanoTime();
    DatasetManifest.Counts c = built.counts();
    if (c.train() + c.test() == 0) {
      long t3 = System.nanoTime();
      states.success(source, "bench", null);
      return new Outcome(c, t1 - t0, t2 - t1, t3 - t2, System.nanoTime() - t3);
    }
    VersionRow parent = versions.latest(ds).orElse(null);
    long version = parent == null ? 1 : parent.version() + 1;
    String prefix = DatasetLayout.prefix(ds, version);
    for (Map.Entry<String, DatasetManifest.FileEntry> f : built.files().entrySet()) {
      StoredObject put =
          store.putFile(prefix + f.getKey(), built.dir().resolve(f.getKey()), "application/gzip");
      if (!put.digest().equals(f.getValue().sha256())) {
        throw new IOException("digest mismatch for " + put.key());
      }
    }
    Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    DatasetManifest manifest =
        new DatasetManifest(
            ds,
            version,
            parent == null ? null : parent.version(),
            parent == null ? null : parent.manifestDigest(),
            createdAt.toString(),
            DatasetManifest.KIND_QA,
            List.of(new DatasetManifest.SourceCursor(source, "directory", "bench", "bench")),
            c,
            new DatasetManifest.Split(Split.RULE, 100),
            built.files());
    String manifestKey = DatasetLayout.manifestKey(ds, version);
    StoredObject written = store.put(manifestKey, manifest.toJson(), "application/json");
    long t3 = System.nanoTime();
    DataArrived event =
        new DataArrived(
            ds,
            version,
            store.uri(manifestKey),
            written.digest(),
            new DataArrived.Counts(c.train(), c.test(), c.quarantined()),
            manifest.parentVersion(),
            source,
            createdAt);
    VersionRow row =
        new VersionRow(
            ds,
            version,
            manifest.parentVersion(),
            source,
            event.manifestUri(),
            event.manifestDigest(),
            DataArrivedPublisher.eventId(event),
            EventCodec.encode(event),
            c.train(),
            c.test(),
            c.quarantined(),
            c.duplicates(),
            createdAt,
            null);
    try (Connection tx = db.getConnection()) {
      tx.setAutoCommit(false);
      try {
        copy(tx, ds, version, built.hashes());
        versions.insert(tx, row);
        states.success(tx, source, "bench", null);
        tx.commit();
      } catch (SQLException e) {
        tx.rollback();
        throw e;
      }
    }
    for (byte[] h : built.hashes()) {
      seen.add(h);
    }
    return new Outcome(c, t1 - t0, t2 - t1, t3 - t2, System.nanoTime() - t3);
  }

  private BaselineHashSet128 load(String dataset) throws SQLException {
    try (Connection c = db.getConnection()) {
      long count;
      try (PreparedStatement ps =
          c.prepareStatement("select count(*) from record_hash where dataset = ?")) {
        ps.setString(1, dataset);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          count = rs.getLong(1);
        }
      }
      BaselineHashSet128 set =
          new BaselineHashSet128((int) Math.min(Integer.MAX_VALUE / 4, count + 1024));
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("select hash from record_hash where dataset = ?")) {
        ps.setFetchSize(50_000);
        ps.setString(1, dataset);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            set.add(rs.getBytes(1));
          }
        }
      } finally {
        c.commit();
        c.setAutoCommit(true);
      }
      return set;
    }
  }

  private static void copy(Connection c, String dataset, long version, List<byte[]> hashes)
      throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    CopyIn in = pg.getCopyAPI().copyIn("COPY record_hash (dataset, hash, version) FROM STDIN");
    try {
      byte[] prefix = (dataset + "\t\\\\x").getBytes(StandardCharsets.UTF_8);
      byte[] suffix = ("\t" + version + "\n").getBytes(StandardCharsets.US_ASCII);
      ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 20);
      for (byte[] h : hashes) {
        buf.write(prefix, 0, prefix.length);
        for (byte b : h) {
          buf.write(HEX[(b >> 4) & 0xf]);
          buf.write(HEX[b & 0xf]);
        }
        buf.write(suffix, 0, suffix.length);
        if (buf.size() > (1 << 20) - 256) {
          in.writeToCopy(buf.toByteArray(), 0, buf.size());
          buf.reset();
        }
      }
      if (buf.size() > 0) {
        in.writeToCopy(buf.toByteArray(), 0, buf.size());
      }
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }
}
