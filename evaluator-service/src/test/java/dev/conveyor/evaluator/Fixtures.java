package dev.conveyor.evaluator;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.model.data.Example;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StoredObject;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes datasets (in the ingest layout) and artifacts (as the trainer stores them) to S3. */
final class Fixtures {
  private Fixtures() {}

  /** Writes {@code datasets/<name>/v<version>/} with its manifest last; returns its reference. */
  static DatasetRef dataset(
      ObjectStore store,
      String name,
      long version,
      DatasetRef parent,
      List<Example> train,
      List<Example> test)
      throws IOException {
    String prefix = DatasetLayout.prefix(name, version);
    Map<String, DatasetManifest.FileEntry> files = new LinkedHashMap<>();
    files.put(DatasetLayout.TRAIN, put(store, prefix + DatasetLayout.TRAIN, train));
    files.put(DatasetLayout.TEST, put(store, prefix + DatasetLayout.TEST, test));
    DatasetManifest m =
        new DatasetManifest(
            name,
            version,
            parent == null ? null : parent.version(),
            parent == null ? null : parent.digest(),
            Instant.now().toString(),
            DatasetManifest.KIND_QA,
            List.of(),
            new DatasetManifest.Counts(train.size(), test.size(), 0, 0),
            new DatasetManifest.Split("sha256-mod-1000", 100),
            files);
    byte[] json = m.toJson();
    store.put(DatasetLayout.manifestKey(name, version), json, "application/json");
    return new DatasetRef(name, version, Digests.of(json));
  }

  private static DatasetManifest.FileEntry put(ObjectStore store, String key, List<Example> xs)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (Example e : xs) {
        String content = e.prompt() + "\u0000" + e.completion();
        String id = Digests.of(content.getBytes(StandardCharsets.UTF_8)).substring(7);
        String line =
            "{\"id\":\""
                + id
                + "\",\"prompt\":\""
                + e.prompt()
                + "\",\"completion\":\""
                + e.completion()
                + "\"}\n";
        gz.write(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] data = bytes.toByteArray();
    StoredObject o = store.put(key, data, "application/gzip");
    return new DatasetManifest.FileEntry(o.digest(), data.length, xs.size());
  }

  /** Uploads an artifact archive to {@code runs/<run-id>/model.zip}. */
  static ArtifactRef artifact(ObjectStore store, String runId, Path archive) {
    StoredObject o = store.putFile("runs/" + runId + "/model.zip", archive, "application/zip");
    return new ArtifactRef(store.uri(o.key()), o.digest(), o.size());
  }

  /** Uploads {@code bytes} as a run's artifact and returns a reference with the given digest. */
  static ArtifactRef rawArtifact(ObjectStore store, String runId, byte[] bytes, String digest) {
    StoredObject o = store.put("runs/" + runId + "/model.zip", bytes, "application/zip");
    return new ArtifactRef(store.uri(o.key()), digest, o.size());
  }

  static byte[] read(Path p) throws IOException {
    return Files.readAllBytes(p);
  }
}
