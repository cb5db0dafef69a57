package dev.conveyor.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes dataset versions in the ingest service's layout ({@code datasets/<name>/v<N>/}, gzipped
 * JSON lines, manifest written last) so the trainer reads them through the real DatasetReader. The
 * task: a 4-digit prompt, the completion adds 1 to each digit ("3179" gives "4280").
 */
final class Datasets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Datasets() {}

  /** Writes version {@code version} (parent {@code version - 1} if > 1) with {@code n} pairs. */
  static DatasetRef addOne(ObjectStore store, String name, long version, int n, long seed)
      throws IOException {
    Random r = new Random(seed);
    StringBuilder train = new StringBuilder();
    StringBuilder test = new StringBuilder();
    int trainCount = 0;
    int testCount = 0;
    for (int i = 0; i < n; i++) {
      StringBuilder p = new StringBuilder();
      StringBuilder c = new StringBuilder();
      for (int d = 0; d < 4; d++) {
        int digit = r.nextInt(10);
        p.append(digit);
        c.append((digit + 1) % 10);
      }
      Map<String, String> rec = new LinkedHashMap<>();
      rec.put("id", Digests.of((p + "\u0000" + c).getBytes(StandardCharsets.UTF_8)).substring(7));
      rec.put("prompt", p.toString());
      rec.put("completion", c.toString());
      String line = JSON.writeValueAsString(rec) + "\n";
      if (i % 10 == 0) {
        test.append(line);
        testCount++;
      } else {
        train.append(line);
        trainCount++;
      }
    }
    return write(store, name, version, train.toString(), trainCount, test.toString(), testCount);
  }

  static DatasetRef write(
      ObjectStore store,
      String name,
      long version,
      String trainLines,
      long trainCount,
      String testLines,
      long testCount)
      throws IOException {
    String prefix = DatasetLayout.prefix(name, version);
    byte[] trainGz = gzip(trainLines);
    byte[] testGz = gzip(testLines);
    byte[] quarantineGz = gzip("");
    store.put(prefix + DatasetLayout.TRAIN, trainGz, "application/gzip");
    store.put(prefix + DatasetLayout.TEST, testGz, "application/gzip");
    store.put(prefix + DatasetLayout.QUARANTINE, quarantineGz, "application/gzip");
    Map<String, DatasetManifest.FileEntry> files = new LinkedHashMap<>();
    files.put(
        DatasetLayout.TRAIN,
        new DatasetManifest.FileEntry(Digests.of(trainGz), trainGz.length, trainCount));
    files.put(
        DatasetLayout.TEST,
        new DatasetManifest.FileEntry(Digests.of(testGz), testGz.length, testCount));
    files.put(
        DatasetLayout.QUARANTINE,
        new DatasetManifest.FileEntry(Digests.of(quarantineGz), quarantineGz.length, 0));
    Long parent = version > 1 ? version - 1 : null;
    String parentDigest =
        parent == null ? null : Digests.of(store.get(DatasetLayout.manifestKey(name, parent)));
    DatasetManifest m =
        new DatasetManifest(
            name,
            version,
            parent,
            parentDigest,
            Instant.now().toString(),
            DatasetManifest.KIND_QA,
            List.of(new DatasetManifest.SourceCursor("fixture", "test", "memory", "0")),
            new DatasetManifest.Counts(trainCount, testCount, 0, 0),
            new DatasetManifest.Split("sha256(id) mod 1000 < 100", 100),
            files);
    byte[] manifest = m.toJson();
    store.put(DatasetLayout.manifestKey(name, version), manifest, "application/json");
    return new DatasetRef(name, version, Digests.of(manifest));
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
