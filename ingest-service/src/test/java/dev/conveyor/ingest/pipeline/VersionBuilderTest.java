package dev.conveyor.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-thread builder must write exactly what a one-thread pass over the records would. */
class VersionBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void writesInArrivalOrderDroppingDuplicatesAndKnownRecords() throws Exception {
    int n = 60_000; // many batches, more than the hand-over queue holds
    HashSet128 known = new HashSet128(16);
    for (int i = 0; i < n; i += 97) {
      known.add(ContentHash.qa("q" + i, "a" + i)); // in an earlier version
    }
    List<String> expectTrain = new ArrayList<>();
    List<String> expectTest = new ArrayList<>();
    List<String> expectRejected = new ArrayList<>();
    HashSet128 expectSeen = new HashSet128(16);
    HashList expectHashes = new HashList();
    long expectDuplicates = 0;
    VersionBuilder.Result r;
    try (VersionBuilder b = new VersionBuilder(tmp.resolve("v"), 100, known)) {
      for (int i = 0; i < n; i++) {
        if (i % 1000 == 5) {
          b.reject(new Rejected("p", i, "reason " + i, "raw " + i));
          expectRejected.add("reason " + i);
          continue;
        }
        int k = i % 10 == 9 ? i - 1 : i; // a repeat inside this pull
        // the same record in other spacing/case: the normalized hash is the same
        String q = (i % 20 == 9 ? "  Q" : "q") + k;
        b.accept(Candidate.qa("p", i, q, "a" + k));
        byte[] h = ContentHash.qa(q, "a" + k);
        if (known.contains(h) || !expectSeen.add(h)) {
          expectDuplicates++;
        } else {
          (Split.isTest(h, 100) ? expectTest : expectTrain).add(ContentHash.hex(h) + " " + q);
          expectHashes.add(h);
        }
      }
      r = b.finish();
    }
    assertEquals(expectTrain, ids(r.dir().resolve(DatasetLayout.TRAIN), "prompt"));
    assertEquals(expectTest, ids(r.dir().resolve(DatasetLayout.TEST), "prompt"));
    assertEquals(expectRejected, lines(r.dir().resolve(DatasetLayout.QUARANTINE), "reason"));
    DatasetManifest.Counts c = r.counts();
    assertEquals(expectTrain.size(), c.train());
    assertEquals(expectTest.size(), c.test());
    assertEquals(expectRejected.size(), c.quarantined());
    assertEquals(expectDuplicates, c.duplicates());
    assertTrue(c.test() > 0 && c.train() > 5 * c.test());
    // the hashes, in the order they were written, for the dedup table
    assertEquals(c.train() + c.test(), r.hashes().size());
    assertEquals(expectHashes.chunks().size(), r.hashes().chunks().size());
    for (int i = 0; i < expectHashes.chunks().size(); i++) {
      assertArrayEquals(expectHashes.chunks().get(i), r.hashes().chunks().get(i));
    }
    for (var f : r.files().entrySet()) {
      Path file = r.dir().resolve(f.getKey());
      assertEquals(Digests.of(file), f.getValue().sha256(), f.getKey());
      assertEquals(Files.size(file), f.getValue().size());
    }
  }

  @Test
  void closingWithoutFinishingStopsTheWriter() throws Exception {
    Path dir = tmp.resolve("aborted");
    try (VersionBuilder b = new VersionBuilder(dir, 100, new HashSet128(16))) {
      for (int i = 0; i < 50_000; i++) {
        b.accept(Candidate.qa("p", i, "q" + i, "a" + i));
      }
      // e.g. the parser found garbage: no finish()
    }
    assertFalse(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("ingest-writer-aborted") && t.isAlive()));
  }

  @Test
  void aWriterFailureReachesTheParser() throws Exception {
    HashSet128 known = new HashSet128(16);
    try (VersionBuilder b = new VersionBuilder(tmp.resolve("failing"), 100, known)) {
      // a record the writer cannot write fails on its thread, as a full disk would
      assertThrows(
          RuntimeException.class,
          () -> {
            for (int i = 0; i < 100_000; i++) {
              b.accept(Candidate.qa("p", i, "q" + i, "a" + i));
              if (i == 10) {
                b.reject(null); // the writer dereferences it: fails on its thread
              }
            }
            b.finish();
          });
    }
  }

  private static List<String> ids(Path gz, String field) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode n : read(gz)) {
      String id = n.get("id").asText();
      assertEquals(64, id.length());
      HexFormat.of().parseHex(id);
      out.add(id + " " + n.get(field).asText());
    }
    return out;
  }

  private static List<String> lines(Path gz, String field) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode n : read(gz)) {
      out.add(n.get(field).asText());
    }
    return out;
  }

  private static List<JsonNode> read(Path gz) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }
}
