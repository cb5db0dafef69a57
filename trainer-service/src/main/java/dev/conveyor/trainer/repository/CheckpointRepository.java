package dev.conveyor.trainer.repository;

import dev.conveyor.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Mirrors the model module's local checkpoint directory to {@code runs/<run-id>/checkpoints/} and
 * back. The layout stays the model module's business: a new checkpoint folder is uploaded first,
 * the root's files (its {@code latest} pointer) last, so a kill during an upload leaves S3 pointing
 * at the previous complete checkpoint; folders the model module pruned locally are deleted after.
 */
@ApplicationScoped
public class CheckpointRepository {
  private final ObjectStore store;

  public CheckpointRepository(ObjectStore store) {
    this.store = store;
  }

  static String prefix(String runId) {
    return RunStateRepository.prefix(runId) + "checkpoints/";
  }

  /**
   * Uploads checkpoint {@code folder} (a child of {@code root}), then the root's pointer files,
   * then deletes the run's objects whose top-level name is not in {@code keep} (the names the model
   * module had in its checkpoint directory when the checkpoint was written).
   */
  public void upload(String runId, Path root, Path folder, Set<String> keep) {
    String base = prefix(runId);
    try {
      for (Path f : files(folder)) {
        store.putFile(
            base + folder.getFileName() + "/" + f.getFileName(), f, "application/octet-stream");
      }
      for (Path f : files(root)) {
        store.putFile(base + f.getFileName(), f, "application/octet-stream");
      }
      for (String key : store.list(base)) {
        String top = key.substring(base.length()).split("/", 2)[0];
        if (!keep.contains(top)) {
          store.delete(key);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot upload checkpoint " + folder, e);
    }
  }

  /**
   * Downloads the run's checkpoints into {@code root} (emptied first).
   *
   * @return true when S3 held any checkpoint
   */
  public boolean restore(String runId, Path root) {
    String base = prefix(runId);
    List<String> keys = store.list(base);
    if (keys.isEmpty()) {
      return false;
    }
    for (String key : keys) {
      store.download(key, root.resolve(key.substring(base.length())));
    }
    return true;
  }

  /** True once a checkpoint pointer exists for the run (used by tests and the REST view). */
  public boolean any(String runId) {
    return !store.list(prefix(runId)).isEmpty();
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".tmp"))
          .sorted()
          .toList();
    }
  }
}
