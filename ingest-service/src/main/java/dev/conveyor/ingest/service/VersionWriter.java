package dev.conveyor.ingest.service;

import dev.conveyor.events.DataArrived;
import dev.conveyor.events.EventCodec;
import dev.conveyor.ingest.config.IngestConfig;
import dev.conveyor.ingest.messaging.DataArrivedPublisher;
import dev.conveyor.ingest.pipeline.Limits;
import dev.conveyor.ingest.pipeline.Payload;
import dev.conveyor.ingest.pipeline.PayloadParser;
import dev.conveyor.ingest.pipeline.Split;
import dev.conveyor.ingest.pipeline.VersionBuilder;
import dev.conveyor.ingest.repository.DatasetVersionRepository;
import dev.conveyor.ingest.repository.KnownHashes;
import dev.conveyor.ingest.repository.RecordHashRepository;
import dev.conveyor.ingest.repository.SourceStateRepository;
import dev.conveyor.ingest.repository.VersionRow;
import dev.conveyor.ingest.source.Pull;
import dev.conveyor.ingest.source.Source;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StoredObject;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Turns the payloads of one pull into a durable dataset version: builds the files (validate, hash,
 * de-duplicate, split, compress), uploads them and then the manifest, and only then commits the
 * hashes, the version row (the data-arrived outbox) and the source cursor in one transaction. A
 * failure anywhere before that commit leaves the database as it was and nothing announced.
 */
@ApplicationScoped
public class VersionWriter {
  private static final Logger LOG = Logger.getLogger(VersionWriter.class);
  private final int testPermille;
  private final Limits limits;
  private final ObjectStore store;
  private final DataSource db;
  private final RecordHashRepository hashes;
  private final DatasetVersionRepository versions;
  private final SourceStateRepository states;
  private final Map<String, KnownHashes> known = new ConcurrentHashMap<>();

  @Inject
  public VersionWriter(
      IngestConfig config,
      ObjectStore store,
      DataSource db,
      RecordHashRepository hashes,
      DatasetVersionRepository versions,
      SourceStateRepository states) {
    this(config.testPermille(), limits(config), store, db, hashes, versions, states);
  }

  public VersionWriter(
      int testPermille,
      Limits limits,
      ObjectStore store,
      DataSource db,
      RecordHashRepository hashes,
      DatasetVersionRepository versions,
      SourceStateRepository states) {
    this.testPermille = testPermille;
    this.limits = limits;
    this.store = store;
    this.db = db;
    this.hashes = hashes;
    this.versions = versions;
    this.states = states;
  }

  /**
   * What a pull became.
   *
   * @param version the committed version, or null when the pull held no new records
   */
  public record Written(DatasetManifest.Counts counts, VersionRow version, Timings timings) {}

  /**
   * Wall time of each step, for logs and the benchmark.
   *
   * @param storeNanos until the files and the manifest are stored and the rows inserted
   * @param insertNanos hashes, version row and cursor inserted (side by side with the uploads)
   * @param commitNanos the commit, after the manifest is stored
   */
  public record Timings(
      long loadNanos, long buildNanos, long storeNanos, long insertNanos, long commitNanos) {}

  /**
   * Builds, stores and commits what {@code pull} holds for {@code source}, staging files in {@code
   * stage}. The source cursor is recorded in the same transaction (also when nothing is new).
   */
  public Written write(Source source, Pull pull, Path stage) throws Exception {
    String ds = source.dataset();
    long t0 = System.nanoTime();
    KnownHashes k = known(ds);
    long t1 = System.nanoTime();
    PayloadParser parser = new PayloadParser(limits);
    VersionBuilder.Result built;
    try (VersionBuilder b = new VersionBuilder(stage, testPermille, k.set())) {
      for (Payload p : pull.payloads()) {
        parser.parse(p, source.format(), b);
      }
      built = b.finish();
    }
    long t2 = System.nanoTime();
    DatasetManifest.Counts c = built.counts();
    if (c.train() + c.test() == 0) {
      if (c.quarantined() > 0) {
        String key =
            DatasetLayout.ROOT
                + ds
                + "/rejected/"
                + Instant.now().toString().replace(':', '-')
                + "-"
                + source.name()
                + ".jsonl.gz";
        store.putFile(key, stage.resolve(DatasetLayout.QUARANTINE), "application/gzip");
        LOG.infof(
            "%s: no new records, %d rejected records kept in %s",
            source.name(), c.quarantined(), store.uri(key));
      }
      long t3 = System.nanoTime();
      states.success(source.name(), pull.cursor(), pull.etag());
      return new Written(
          c, null, new Timings(t1 - t0, t2 - t1, t3 - t2, 0, System.nanoTime() - t3));
    }

    Optional<VersionRow> parentRow = versions.latest(ds);
    long parent = parentRow.map(VersionRow::version).orElse(0L);
    if (parent != k.version()) {
      // another writer committed since the hashes were loaded: this build may hold its records
      throw new IllegalStateException(
          ds
              + ": v"
              + parent
              + " was committed after this pull's hashes (as of v"
              + k.version()
              + ") were loaded; retrying with fresh ones");
    }
    long version = k.version() + 1;
    Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    DatasetManifest manifest =
        new DatasetManifest(
            ds,
            version,
            parentRow.map(VersionRow::version).orElse(null),
            parentRow.map(VersionRow::manifestDigest).orElse(null),
            createdAt.toString(),
            "text".equals(source.format()) ? DatasetManifest.KIND_TEXT : DatasetManifest.KIND_QA,
            List.of(
                new DatasetManifest.SourceCursor(
                    source.name(), source.type(), source.location(), pull.cursor())),
            c,
            new DatasetManifest.Split(Split.RULE, testPermille),
            built.files());
    byte[] manifestJson = manifest.toJson();
    String manifestKey = DatasetLayout.manifestKey(ds, version);
    DataArrived event =
        new DataArrived(
            ds,
            version,
            store.uri(manifestKey),
            Digests.of(manifestJson),
            new DataArrived.Counts(c.train(), c.test(), c.quarantined()),
            manifest.parentVersion(),
            source.name(),
            createdAt);
    VersionRow row =
        new VersionRow(
            ds,
            version,
            manifest.parentVersion(),
            source.name(),
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
    long t3 = System.nanoTime();
    long t4;
    long t5;
    CompletableFuture<Void> stored = null;
    try (Connection tx = db.getConnection()) {
      boolean auto = tx.getAutoCommit();
      tx.setAutoCommit(false);
      try {
        // The version row first: its key makes another writer of v<N+1> wait here, before it
        // uploads anything to the same prefix, and then fail. Nobody sees these rows before the
        // commit, which waits for the manifest.
        versions.insert(tx, row);
        // Files of a version that was uploaded but never committed (a crash before the commit)
        // were never announced; they are overwritten here with this pull's files.
        stored = store(DatasetLayout.prefix(ds, version), built, manifestKey, manifestJson);
        hashes.insert(tx, ds, version, built.hashes());
        states.success(tx, source.name(), pull.cursor(), pull.etag());
        t4 = System.nanoTime();
        await(stored);
        t5 = System.nanoTime();
        tx.commit();
      } catch (Exception e) {
        if (stored != null) {
          // no upload of this attempt may still be running when the next attempt uploads
          stored.handle((ok, err) -> null).join();
        }
        tx.rollback();
        throw e;
      } finally {
        tx.setAutoCommit(auto);
      }
    }
    k.advance(version, built.hashes());
    Timings timings = new Timings(t1 - t0, t2 - t1, t5 - t2, t4 - t3, System.nanoTime() - t5);
    LOG.infof(
        "%s v%d from %s: %d train, %d test, %d quarantined, %d duplicates; manifest %s (%s);"
            + " built in %d ms, stored in %d ms (hashes inserted meanwhile in %d ms),"
            + " committed in %d ms",
        ds,
        version,
        source.name(),
        c.train(),
        c.test(),
        c.quarantined(),
        c.duplicates(),
        event.manifestUri(),
        event.manifestDigest(),
        timings.buildNanos() / 1_000_000,
        timings.storeNanos() / 1_000_000,
        timings.insertNanos() / 1_000_000,
        timings.commitNanos() / 1_000_000);
    return new Written(c, row, timings);
  }

  /** Drops the cached hashes of {@code dataset}: the next pull reloads them from the database. */
  public void forget(String dataset) {
    known.remove(dataset);
  }

  /**
   * Uploads the version's files side by side, checks what S3 stored against what was staged, and
   * then (only when all are there) writes the manifest.
   */
  private CompletableFuture<Void> store(
      String prefix, VersionBuilder.Result built, String manifestKey, byte[] manifestJson) {
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (Map.Entry<String, DatasetManifest.FileEntry> f : built.files().entrySet()) {
      String key = prefix + f.getKey();
      Path file = built.dir().resolve(f.getKey());
      String staged = f.getValue().sha256();
      puts.add(
          CompletableFuture.runAsync(
              () -> {
                StoredObject put = store.putFile(key, file, "application/gzip");
                if (!put.digest().equals(staged)) {
                  throw new IllegalStateException(
                      store.uri(key) + ": uploaded " + put.digest() + ", staged " + staged);
                }
              },
              VersionWriter::uploadThread));
    }
    return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new))
        .thenRun(() -> store.put(manifestKey, manifestJson, "application/json"));
  }

  private static void uploadThread(Runnable r) {
    Thread t = new Thread(r, "ingest-upload");
    t.setDaemon(true);
    t.start();
  }

  private static void await(CompletableFuture<Void> stored) throws Exception {
    try {
      stored.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw new IOException("upload failed: " + cause, cause);
    }
  }

  private KnownHashes known(String dataset) throws SQLException {
    KnownHashes k = known.get(dataset);
    if (k == null) {
      k = hashes.load(dataset);
      known.put(dataset, k);
    }
    return k;
  }

  private static Limits limits(IngestConfig config) {
    IngestConfig.Validation v = config.validation();
    return new Limits(
        v.maxPromptChars(),
        v.maxCompletionChars(),
        v.maxTextChars(),
        v.windowChars(),
        v.overlapChars(),
        v.maxRejectRatio());
  }
}
