package dev.conveyor.storage.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StorageException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class DatasetReaderTest {
  @Inject ObjectStore store;

  @Test
  void resolvesTheChainOldestFirstAndVerifiesEveryDigest() throws Exception {
    String v1 = write("rd", 1, null, null, List.of("a", "b"), List.of("t1"));
    String v2 = write("rd", 2, 1L, v1, List.of("c"), List.of());
    write("rd", 3, 2L, v2, List.of("d", "e"), List.of("t3"));

    DatasetView view = new DatasetReader(store).view("rd", 3);
    assertEquals(
        List.of("a", "b", "c", "d", "e"), view.train().stream().map(DatasetRecord::id).toList());
    assertEquals(List.of("t1", "t3"), view.test().stream().map(DatasetRecord::id).toList());
    assertEquals("prompt a", view.train().get(0).prompt());
    assertEquals("answer a", view.train().get(0).completion());
    assertEquals(List.of(1L, 2L, 3L), view.chain().stream().map(DatasetManifest::version).toList());
    assertEquals(3, view.manifest().version());

    DatasetView two = new DatasetReader(store).view("rd", 2, v2);
    assertEquals(v2, two.manifestDigest());
    assertEquals(3, two.train().size());
  }

  @Test
  void aWrongDigestOrATamperedFileIsRefused() throws Exception {
    String v1 = write("bad", 1, null, null, List.of("a"), List.of());
    write("bad", 2, 1L, v1, List.of("b"), List.of());
    DatasetReader reader = new DatasetReader(store);
    var wrong =
        assertThrows(StorageException.class, () -> reader.view("bad", 2, Digests.of(new byte[0])));
    assertTrue(wrong.getMessage().contains("is corrupt"), wrong.getMessage());

    store.put(
        DatasetLayout.prefix("bad", 1) + DatasetLayout.TRAIN,
        gzip("{\"id\":\"x\"}\n"),
        "application/gzip");
    var tampered = assertThrows(StorageException.class, () -> reader.view("bad", 2));
    assertTrue(
        tampered.getMessage().contains("datasets/bad/v1/train.jsonl.gz is corrupt"),
        tampered.getMessage());

    var missing = assertThrows(StorageException.class, () -> reader.view("bad", 9));
    assertTrue(
        missing.getMessage().contains("datasets/bad/v9/manifest.json"), missing.getMessage());
  }

  private String write(
      String ds, long v, Long parent, String parentDigest, List<String> train, List<String> test)
      throws IOException {
    Map<String, DatasetManifest.FileEntry> files = new LinkedHashMap<>();
    files.put(DatasetLayout.TRAIN, file(ds, v, DatasetLayout.TRAIN, train));
    if (!test.isEmpty()) {
      files.put(DatasetLayout.TEST, file(ds, v, DatasetLayout.TEST, test));
    }
    DatasetManifest m =
        new DatasetManifest(
            ds,
            v,
            parent,
            parentDigest,
            "2026-11-25T02:00:00Z",
            DatasetManifest.KIND_QA,
            List.of(new DatasetManifest.SourceCursor("feed", "http", "http://x/feed", "day-" + v)),
            new DatasetManifest.Counts(train.size(), test.size(), 0, 0),
            new DatasetManifest.Split("sha256-prefix-mod-1000", 100),
            files);
    byte[] json = m.toJson();
    assertEquals(m, DatasetManifest.parse(json));
    return store.put(DatasetLayout.manifestKey(ds, v), json, "application/json").digest();
  }

  private DatasetManifest.FileEntry file(String ds, long v, String name, List<String> ids)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String id : ids) {
      sb.append("{\"id\":\"")
          .append(id)
          .append("\",\"prompt\":\"prompt ")
          .append(id)
          .append("\",\"completion\":\"answer ")
          .append(id)
          .append("\"}\n");
    }
    byte[] gz = gzip(sb.toString());
    var put = store.put(DatasetLayout.prefix(ds, v) + name, gz, "application/gzip");
    return new DatasetManifest.FileEntry(put.digest(), put.size(), ids.size());
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
