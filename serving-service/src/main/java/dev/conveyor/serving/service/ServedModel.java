package dev.conveyor.serving.service;

import dev.conveyor.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A loaded model and where it came from. Batches hold a lease while they decode; once the model is
 * retired and the last lease is returned its native memory and unpacked files are released.
 */
public final class ServedModel {

  private static final Logger LOG = Logger.getLogger(ServedModel.class);

  private final LanguageModel model;
  private final ModelIdentity identity;
  private final Path directory;
  private final String smokeTest;
  private final Instant loadedAt = Instant.now();
  // one for the slot's own reference, plus one per running batch
  private final AtomicInteger leases = new AtomicInteger(1);
  private volatile boolean released;

  ServedModel(LanguageModel model, ModelIdentity identity, Path directory, String smokeTest) {
    this.model = model;
    this.identity = identity;
    this.directory = directory;
    this.smokeTest = smokeTest;
  }

  /** What the golden smoke test ran (how many prompts, from which dataset's test split). */
  public String smokeTest() {
    return smokeTest;
  }

  /** The model for decoding (only while a lease is held). */
  public LanguageModel model() {
    return model;
  }

  /** Name, version, dataset and artifact digest. */
  public ModelIdentity identity() {
    return identity;
  }

  /** When it finished loading. */
  public Instant loadedAt() {
    return loadedAt;
  }

  /** True once the memory has been released. */
  public boolean released() {
    return released;
  }

  /** Takes a lease for one batch; false when the model is already gone. */
  boolean acquire() {
    while (true) {
      int n = leases.get();
      if (n <= 0) {
        return false;
      }
      if (leases.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Returns a lease; the last one releases the model. */
  void release() {
    if (leases.decrementAndGet() == 0) {
      free();
    }
  }

  /** Drops the slot's reference: the model is freed as soon as running batches drain. */
  void retire() {
    release();
  }

  private synchronized void free() {
    if (released) {
      return;
    }
    released = true;
    model.close();
    deleteQuietly(directory);
    LOG.infof("released %s after it drained", identity.label());
  }

  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debugf("could not delete %s: %s", dir, e.getMessage());
    }
  }
}
