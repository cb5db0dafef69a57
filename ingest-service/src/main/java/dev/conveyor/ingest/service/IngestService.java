package dev.conveyor.ingest.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.EventCodec;
import dev.conveyor.ingest.config.IngestConfig;
import dev.conveyor.ingest.messaging.DataArrivedPublisher;
import dev.conveyor.ingest.pipeline.HashSet128;
import dev.conveyor.ingest.pipeline.Limits;
import dev.conveyor.ingest.pipeline.Payload;
import dev.conveyor.ingest.pipeline.PayloadParser;
import dev.conveyor.ingest.pipeline.Split;
import dev.conveyor.ingest.pipeline.VersionBuilder;
import dev.conveyor.ingest.repository.DatasetVersionRepository;
import dev.conveyor.ingest.repository.RecordHashRepository;
import dev.conveyor.ingest.repository.RunRepository;
import dev.conveyor.ingest.repository.SourceState;
import dev.conveyor.ingest.repository.SourceStateRepository;
import dev.conveyor.ingest.repository.VersionRow;
import dev.conveyor.ingest.source.Pull;
import dev.conveyor.ingest.source.Source;
import dev.conveyor.ingest.source.SourceRegistry;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StoredObject;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * One pull per source: fetch (retried with capped exponential backoff), validate, de-duplicate,
 * split and stage the files, upload them and the manifest last, then commit hashes, version row
 * (the outbox) and cursor in one transaction, and only then publish data-arrived. A failure before
 * the commit changes nothing: the cursor stays, nothing is announced.
 */
@ApplicationScoped
public class IngestService {
  private static final Logger LOG = Logger.getLogger(IngestService.class);
  private static final ObjectMapper JSON = EventCodec.mapper();

  private final IngestConfig config;
  private final SourceRegistry sources;
  private final SourceStateRepository states;
  private final RecordHashRepository hashes;
  private final DatasetVersionRepository versions;
  private final RunRepository runs;
  private final ObjectStore store;
  private final DataSource db;
  private final DataArrivedPublisher publisher;
  private final MeterRegistry metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, HashSet128> known = new ConcurrentHashMap<>();

  public IngestService(
      IngestConfig config,
      SourceRegistry sources,
      SourceStateRepository states,
      RecordHashRepository hashes,
      DatasetVersionRepository versions,
      RunRepository runs,
      ObjectStore store,
      DataSource db,
      DataArrivedPublisher publisher,
      MeterRegistry metrics) {
    this.config = config;
    this.sources = sources;
    this.states = states;
    this.hashes = hashes;
    this.versions = versions;
    this.runs = runs;
    this.store = store;
    this.db = db;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  /** Pulls {@code source} (or every source when empty); runs never overlap. */
  public RunResult run(Optional<String> source, String trigger) {
    List<Source> selected =
        source
            .map(
                n ->
                    sources
                        .find(n)
                        .map(List::of)
                        .orElseThrow(
                            () -> new IllegalArgumentException("unknown source '" + n + "'")))
            .orElse(sources.all());
    lock.lock();
    try {
      Instant started = Instant.now();
      long runId = runs.start(trigger);
      List<SourceResult> results = new ArrayList<>();
      for (Source s : selected) {
        SourceResult r = pull(s);
        metrics
            .counter("conveyor.ingest.pulls", "source", s.name(), "status", r.status())
            .increment();
        results.add(r);
      }
      RunResult result =
          new RunResult(runId, trigger, started, Instant.now(), List.copyOf(results));
      runs.finish(runId, JSON.writeValueAsString(result));
      return result;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("ingest run failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private SourceResult pull(Source s) {
    IngestConfig.Retry retry = config.retry();
    Duration backoff = retry.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      Path stage = null;
      try {
        stage = Files.createTempDirectory(workDir(), "pull-" + s.name() + "-");
        return attempt(s, stage, attempt);
      } catch (Exception e) {
        known.remove(s.dataset());
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (attempt >= retry.maxAttempts()) {
          LOG.errorf(
              "pull of %s failed %d times, keeping its previous state: %s",
              s.name(), attempt, error);
          try {
            states.failure(s.name(), error);
          } catch (SQLException ex) {
            LOG.error("cannot record the failure of " + s.name(), ex);
          }
          return new SourceResult(
              s.name(), s.dataset(), SourceResult.FAILED, null, null, null, null, attempt, error);
        }
        LOG.warnf(
            "pull of %s failed (attempt %d of %d), retrying in %s: %s",
            s.name(), attempt, retry.maxAttempts(), backoff, error);
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return new SourceResult(
              s.name(),
              s.dataset(),
              SourceResult.FAILED,
              null,
              null,
              null,
              null,
              attempt,
              "interrupted");
        }
        backoff =
            backoff.multipliedBy(2).compareTo(retry.maxBackoff()) > 0
                ? retry.maxBackoff()
                : backoff.multipliedBy(2);
      } finally {
        deleteQuietly(stage);
      }
    }
  }

  private SourceResult attempt(Source s, Path stage, int attempt) throws Exception {
    SourceState state = states.find(s.name());
    Pull pull = s.fetch(state);
    if (pull.notModified()) {
      states.success(s.name(), pull.cursor(), pull.etag());
      return new SourceResult(
          s.name(), s.dataset(), SourceResult.NOT_MODIFIED, null, null, null, null, attempt, null);
    }
    HashSet128 seen = known(s.dataset());
    PayloadParser parser = new PayloadParser(limits());
    VersionBuilder.Result built;
    try (VersionBuilder b = new VersionBuilder(stage, config.testPermille(), seen)) {
      for (Payload p : pull.payloads()) {
        parser.parse(p, s.format(), b);
      }
      built = b.finish();
    }
    DatasetManifest.Counts counts = built.counts();
    if (counts.train() + counts.test() == 0) {
      if (counts.quarantined() > 0) {
        String key =
            DatasetLayout.ROOT
                + s.dataset()
                + "/rejected/"
                + Instant.now().toString().replace(':', '-')
                + "-"
                + s.name()
                + ".jsonl.gz";
        store.putFile(key, stage.resolve(DatasetLayout.QUARANTINE), "application/gzip");
        LOG.infof(
            "%s: no new records, %d rejected records kept in %s",
            s.name(), counts.quarantined(), store.uri(key));
      }
      states.success(s.name(), pull.cursor(), pull.etag());
      afterCommit(s, pull);
      return new SourceResult(
          s.name(),
          s.dataset(),
          SourceResult.NO_NEW_RECORDS,
          null,
          null,
          null,
          counts,
          attempt,
          null);
    }
    return publishVersion(s, pull, built, seen, attempt);
  }

  private SourceResult publishVersion(
      Source s, Pull pull, VersionBuilder.Result built, HashSet128 seen, int attempt)
      throws Exception {
    String ds = s.dataset();
    Optional<VersionRow> parent = versions.latest(ds);
    long version = parent.map(p -> p.version() + 1).orElse(1L);
    String prefix = DatasetLayout.prefix(ds, version);
    // Files of a version that was uploaded but never committed (a crash before the commit) were
    // never announced; they are overwritten here with this pull's files.
    for (Map.Entry<String, DatasetManifest.FileEntry> f : built.files().entrySet()) {
      StoredObject put =
          store.putFile(prefix + f.getKey(), built.dir().resolve(f.getKey()), "application/gzip");
      if (!put.digest().equals(f.getValue().sha256())) {
        throw new IOException(
            store.uri(put.key())
                + ": uploaded "
                + put.digest()
                + ", staged "
                + f.getValue().sha256());
      }
    }
    Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    DatasetManifest manifest =
        new DatasetManifest(
            ds,
            version,
            parent.map(VersionRow::version).orElse(null),
            parent.map(VersionRow::manifestDigest).orElse(null),
            createdAt.toString(),
            s.format().equals("text") ? DatasetManifest.KIND_TEXT : DatasetManifest.KIND_QA,
            List.of(
                new DatasetManifest.SourceCursor(s.name(), s.type(), s.location(), pull.cursor())),
            built.counts(),
            new DatasetManifest.Split(Split.RULE, config.testPermille()),
            built.files());
    String manifestKey = DatasetLayout.manifestKey(ds, version);
    StoredObject written = store.put(manifestKey, manifest.toJson(), "application/json");
    DatasetManifest.Counts c = built.counts();
    DataArrived event =
        new DataArrived(
            ds,
            version,
            store.uri(manifestKey),
            written.digest(),
            new DataArrived.Counts(c.train(), c.test(), c.quarantined()),
            manifest.parentVersion(),
            s.name(),
            createdAt);
    VersionRow row =
        new VersionRow(
            ds,
            version,
            manifest.parentVersion(),
            s.name(),
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
        RecordHashRepository.copy(tx, ds, version, built.hashes());
        versions.insert(tx, row);
        states.success(tx, s.name(), pull.cursor(), pull.etag());
        tx.commit();
      } catch (SQLException e) {
        tx.rollback();
        throw e;
      }
    }
    for (byte[] h : built.hashes()) {
      seen.add(h);
    }
    LOG.infof(
        "%s v%d from %s: %d train, %d test, %d quarantined, %d duplicates; manifest %s (%s)",
        ds,
        version,
        s.name(),
        c.train(),
        c.test(),
        c.quarantined(),
        c.duplicates(),
        event.manifestUri(),
        event.manifestDigest());
    afterCommit(s, pull);
    if (config.publish().pauseBeforePublish()) {
      pauseForever(ds, version);
    }
    publisher.publishPending();
    return new SourceResult(
        s.name(),
        ds,
        SourceResult.CREATED,
        version,
        event.manifestUri(),
        event.manifestDigest(),
        c,
        attempt,
        null);
  }

  private void afterCommit(Source s, Pull pull) {
    try {
      pull.commit();
    } catch (Exception e) {
      // the version is committed; a leftover input is harmless because it de-duplicates away
      LOG.warnf(
          "%s: committed, but could not move the pulled input aside: %s", s.name(), e.getMessage());
    }
  }

  private static void pauseForever(String ds, long version) {
    LOG.warnf(
        "PAUSED before publishing data-arrived for %s v%d (conveyor.ingest.publish.pause-before-publish)",
        ds, version);
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while paused before publishing");
      }
    }
  }

  private HashSet128 known(String dataset) throws SQLException {
    HashSet128 set = known.get(dataset);
    if (set == null) {
      set = hashes.load(dataset);
      known.put(dataset, set);
    }
    return set;
  }

  private Limits limits() {
    IngestConfig.Validation v = config.validation();
    return new Limits(
        v.maxPromptChars(),
        v.maxCompletionChars(),
        v.maxTextChars(),
        v.windowChars(),
        v.overlapChars(),
        v.maxRejectRatio());
  }

  private Path workDir() throws IOException {
    Path dir =
        config.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "conveyor-ingest"));
    return Files.createDirectories(dir);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("cannot clean " + dir, e);
    }
  }
}
