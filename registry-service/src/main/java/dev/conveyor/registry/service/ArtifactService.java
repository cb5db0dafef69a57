package dev.conveyor.registry.service;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StorageException;
import dev.conveyor.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Copies a run's objects server-side into the registry's immutable {@code models/<name>/<version>/}
 * and verifies the copy against the digest and size the trainer announced. Blocking: call it from a
 * worker thread.
 */
@ApplicationScoped
public class ArtifactService {
  private static final Logger LOG = Logger.getLogger(ArtifactService.class);
  private final ObjectStore store;

  public ArtifactService(ObjectStore store) {
    this.store = store;
  }

  /** Where a version's objects live. */
  public static String versionPrefix(String model, long version) {
    return "models/" + model + "/" + version + "/";
  }

  /** The key of the announced artifact, or empty when it is not under {@code runs/<runId>/}. */
  public Optional<String> sourceKey(String runId, ArtifactRef artifact) {
    try {
      String key = store.keyOf(artifact.uri());
      return key.startsWith(runPrefix(runId)) && key.length() > runPrefix(runId).length()
          ? Optional.of(key)
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The registry's URI of the artifact once copied. */
  public String targetUri(String runId, ArtifactRef artifact, String model, long version) {
    String name =
        sourceKey(runId, artifact)
            .map(k -> k.substring(runPrefix(runId).length()))
            .orElse(fileName(artifact.uri()));
    return store.uri(versionPrefix(model, version) + name);
  }

  /** Outcome of a copy: verified, or refused with a reason a person can act on. */
  public record Result(boolean verified, String reason, List<String> copied) {}

  /**
   * Copies every object under {@code runs/<runId>/} and verifies the copied archive. Missing or
   * corrupt artifacts are a refusal (a {@link Result} with a reason); an unreachable store throws.
   */
  public Result copyAndVerify(String runId, ArtifactRef artifact, String model, long version) {
    Optional<String> source = sourceKey(runId, artifact);
    if (source.isEmpty()) {
      return refused("artifact " + artifact.uri() + " is not under " + store.uri(runPrefix(runId)));
    }
    List<String> keys = store.list(runPrefix(runId));
    if (!keys.contains(source.get())) {
      return refused("artifact " + artifact.uri() + " does not exist");
    }
    String prefix = versionPrefix(model, version);
    List<String> copied =
        keys.stream().map(k -> prefix + k.substring(runPrefix(runId).length())).toList();
    for (int i = 0; i < keys.size(); i++) {
      store.copy(keys.get(i), copied.get(i));
    }
    String archiveKey = prefix + source.get().substring(runPrefix(runId).length());
    StoredObject stored = digestOf(archiveKey);
    if (!stored.digest().equals(artifact.digest())) {
      return new Result(
          false,
          "digest mismatch: "
              + store.uri(archiveKey)
              + " has "
              + stored.digest()
              + " but model-trained announced "
              + artifact.digest(),
          copied);
    }
    if (stored.size() != artifact.sizeBytes()) {
      return new Result(
          false,
          "size mismatch: "
              + store.uri(archiveKey)
              + " has "
              + stored.size()
              + " bytes but model-trained announced "
              + artifact.sizeBytes(),
          copied);
    }
    for (int i = 0; i < keys.size(); i++) {
      Optional<Long> src = store.size(keys.get(i));
      Optional<Long> dst = store.size(copied.get(i));
      if (!src.equals(dst)) {
        return new Result(
            false, "copy of " + store.uri(keys.get(i)) + " differs in size: " + dst, copied);
      }
    }
    LOG.debugf("verified %s (%s, %d bytes)", store.uri(archiveKey), stored.digest(), stored.size());
    return new Result(true, null, copied);
  }

  private StoredObject digestOf(String key) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("registry-verify-", ".bin");
      return store.download(key, tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  private static Result refused(String reason) {
    return new Result(false, reason, List.of());
  }

  private static String runPrefix(String runId) {
    return "runs/" + runId + "/";
  }

  private static String fileName(String uri) {
    int slash = uri == null ? -1 : uri.lastIndexOf('/');
    return slash < 0 ? "model.tar.gz" : uri.substring(slash + 1);
  }

  /** True when the failure is the store being unreachable rather than the artifact being bad. */
  public static boolean transientFailure(Throwable t) {
    return t instanceof StorageException || t instanceof UncheckedIOException;
  }
}
