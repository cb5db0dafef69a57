package dev.conveyor.evaluator.service;

import dev.conveyor.evaluator.config.EvaluatorConfig;
import dev.conveyor.events.ArtifactRef;
import dev.conveyor.model.LanguageModel;
import dev.conveyor.model.artifact.Archives;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StorageException;
import dev.conveyor.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Brings a stored artifact into memory through the model module: download, check the archive's
 * sha256 against the event, unpack (which verifies every file's digest) and load.
 */
@ApplicationScoped
public class ArtifactLoader {
  private final ObjectStore store;
  private final Path work;

  public ArtifactLoader(ObjectStore store, EvaluatorConfig config) {
    this.store = store;
    this.work = Path.of(config.workDirectory());
  }

  /**
   * The verified model of {@code artifact}.
   *
   * @throws ArtifactRejectedException when the artifact is missing, corrupt or not loadable
   */
  public LanguageModel load(ArtifactRef artifact) {
    Path dir;
    try {
      Files.createDirectories(work);
      dir = Files.createTempDirectory(work, "artifact-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      String key;
      try {
        key = store.keyOf(artifact.uri());
      } catch (RuntimeException e) {
        throw new ArtifactRejectedException(
            "artifact URI " + artifact.uri() + " is not in this bucket: " + e.getMessage(), e);
      }
      Path archive = dir.resolve("archive");
      StoredObject got;
      try {
        got = store.download(key, archive);
      } catch (StorageException e) {
        throw new ArtifactRejectedException(
            "artifact " + artifact.uri() + " cannot be read: " + e.getMessage(), e);
      }
      if (!got.digest().equals(artifact.digest())) {
        throw new ArtifactRejectedException(
            "artifact "
                + artifact.uri()
                + " is corrupt: its sha256 is "
                + got.digest()
                + " but the event says "
                + artifact.digest());
      }
      try {
        Path unpacked = dir.resolve("model");
        Archives.unpack(archive, unpacked);
        return LanguageModel.load(unpacked);
      } catch (IOException | RuntimeException e) {
        throw new ArtifactRejectedException(
            "artifact " + artifact.uri() + " fails verification: " + e.getMessage(), e);
      }
    } finally {
      // the weights and tokenizer are in memory once loaded; the files are no longer needed
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp directory is harmless
    }
  }
}
