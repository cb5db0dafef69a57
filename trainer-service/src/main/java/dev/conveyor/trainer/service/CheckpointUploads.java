package dev.conveyor.trainer.service;

import dev.conveyor.trainer.repository.CheckpointRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Mirrors a run's checkpoints to S3 on their own thread, so the training thread only pays for a
 * snapshot: hard links to the checkpoint's files (the model module may prune the folder while it
 * uploads) and a copy of its {@code latest} pointer. Uploads run one at a time in step order; a
 * checkpoint still waiting when a newer one arrives is skipped (S3 needs only the newest). Each
 * upload puts the folder first and the pointer last, so S3 always names a complete checkpoint, and
 * a kill at any moment resumes from the newest one fully uploaded. {@link #close} waits for the
 * pending upload: a cancelled run's final checkpoint is in S3 before the run reports it stopped.
 */
final class CheckpointUploads implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CheckpointUploads.class);
  private final String runId;
  private final CheckpointRepository repository;
  private final Path staging;
  private final LongConsumer uploaded;
  private final AtomicReference<Snapshot> pending = new AtomicReference<>();
  private final AtomicLong sequence = new AtomicLong();
  private final ExecutorService uploader;

  /**
   * @param staging a scratch folder on the checkpoints' file system (for the hard links)
   * @param uploaded called on the upload thread with the step of each checkpoint now in S3
   */
  CheckpointUploads(
      String runId, CheckpointRepository repository, Path staging, LongConsumer uploaded) {
    this.runId = runId;
    this.repository = repository;
    this.staging = staging;
    this.uploaded = uploaded;
    this.uploader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "trainer-upload");
              t.setDaemon(true);
              return t;
            });
  }

  /** Snapshots checkpoint {@code folder} of {@code root} and queues its upload. */
  void submit(long step, Path root, Path folder) {
    Snapshot snap = snapshot(step, root, folder);
    Snapshot skipped = pending.getAndSet(snap);
    if (skipped != null) {
      // never started (the upload thread takes a snapshot with getAndSet): safe to drop
      LOG.debugf("%s: checkpoint at step %d superseded before upload", runId, skipped.step);
      WorkDirs.deleteQuietly(skipped.dir);
    }
    uploader.execute(this::uploadPending);
  }

  private void uploadPending() {
    Snapshot snap = pending.getAndSet(null);
    if (snap == null) {
      return; // a later task already took it
    }
    try {
      repository.upload(runId, snap.dir, snap.dir.resolve(snap.folder), snap.keep);
      uploaded.accept(snap.step);
    } catch (RuntimeException e) {
      // S3 keeps the previous checkpoint; the next one tries again
      LOG.warnf("%s: checkpoint at step %d not uploaded: %s", runId, snap.step, e.getMessage());
    } finally {
      WorkDirs.deleteQuietly(snap.dir);
    }
  }

  private Snapshot snapshot(long step, Path root, Path folder) {
    Path dir = staging.resolve(Long.toString(sequence.incrementAndGet()));
    String name = folder.getFileName().toString();
    try {
      Files.createDirectories(dir.resolve(name));
      for (Path f : regularFiles(folder)) {
        link(f, dir.resolve(name).resolve(f.getFileName()));
      }
      Set<String> keep = new HashSet<>();
      try (Stream<Path> s = Files.list(root)) {
        s.forEach(p -> keep.add(p.getFileName().toString()));
      }
      for (Path f : regularFiles(root)) {
        // the pointer is replaced by rename, never rewritten in place, but it is a few bytes
        Files.copy(f, dir.resolve(f.getFileName()));
      }
      return new Snapshot(step, dir, name, keep);
    } catch (IOException e) {
      WorkDirs.deleteQuietly(dir);
      throw new UncheckedIOException("cannot stage checkpoint " + folder + " for upload", e);
    }
  }

  private static void link(Path source, Path target) throws IOException {
    try {
      Files.createLink(target, source);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(source, target); // a file system without hard links
    }
  }

  private static List<Path> regularFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".tmp"))
          .sorted()
          .toList();
    }
  }

  /** Waits until the queued upload, if any, is done (or gave up). */
  @Override
  public void close() {
    uploader.shutdown();
    try {
      if (!uploader.awaitTermination(10, TimeUnit.MINUTES)) {
        LOG.warnf("%s: a checkpoint upload is still running after 10 minutes", runId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Snapshot(long step, Path dir, String folder, Set<String> keep) {}
}
