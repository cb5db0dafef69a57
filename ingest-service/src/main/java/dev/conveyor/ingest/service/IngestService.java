package dev.conveyor.ingest.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.EventCodec;
import dev.conveyor.ingest.config.IngestConfig;
import dev.conveyor.ingest.messaging.DataArrivedPublisher;
import dev.conveyor.ingest.repository.RunRepository;
import dev.conveyor.ingest.repository.SourceState;
import dev.conveyor.ingest.repository.SourceStateRepository;
import dev.conveyor.ingest.repository.VersionRow;
import dev.conveyor.ingest.source.Pull;
import dev.conveyor.ingest.source.Source;
import dev.conveyor.ingest.source.SourceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One pull per source: fetch (retried with capped exponential backoff), turn it into a committed
 * version ({@link VersionWriter}: files and manifest in S3, hashes, version row (the outbox) and
 * cursor in one transaction), and only then move the input aside and publish data-arrived. A
 * failure before the commit changes nothing: the cursor stays, nothing is announced.
 */
@ApplicationScoped
public class IngestService {
  private static final Logger LOG = Logger.getLogger(IngestService.class);
  private static final ObjectMapper JSON = EventCodec.mapper();

  private final IngestConfig config;
  private final SourceRegistry sources;
  private final SourceStateRepository states;
  private final VersionWriter writer;
  private final RunRepository runs;
  private final DataArrivedPublisher publisher;
  private final MeterRegistry metrics;
  private final ReentrantLock lock = new ReentrantLock();

  public IngestService(
      IngestConfig config,
      SourceRegistry sources,
      SourceStateRepository states,
      VersionWriter writer,
      RunRepository runs,
      DataArrivedPublisher publisher,
      MeterRegistry metrics) {
    this.config = config;
    this.sources = sources;
    this.states = states;
    this.writer = writer;
    this.runs = runs;
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
        writer.forget(s.dataset());
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
    VersionWriter.Written written = writer.write(s, pull, stage);
    afterCommit(s, pull);
    VersionRow v = written.version();
    if (v == null) {
      return new SourceResult(
          s.name(),
          s.dataset(),
          SourceResult.NO_NEW_RECORDS,
          null,
          null,
          null,
          written.counts(),
          attempt,
          null);
    }
    if (config.publish().pauseBeforePublish()) {
      pauseForever(v.dataset(), v.version());
    }
    publisher.publishPending();
    return new SourceResult(
        s.name(),
        v.dataset(),
        SourceResult.CREATED,
        v.version(),
        v.manifestUri(),
        v.manifestDigest(),
        written.counts(),
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
