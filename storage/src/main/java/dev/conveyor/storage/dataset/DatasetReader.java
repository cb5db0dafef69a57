package dev.conveyor.storage.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StorageException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Resolves the full train/test view of a dataset version for the trainer and evaluator: follows
 * {@code parentVersion} links to v1 and checks every manifest and file against its sha256.
 */
public final class DatasetReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectStore store;

  public DatasetReader(ObjectStore store) {
    this.store = store;
  }

  /** The manifest of {@code dataset} v{@code version}, unverified. */
  public DatasetManifest manifest(String dataset, long version) {
    return DatasetManifest.parse(store.get(DatasetLayout.manifestKey(dataset, version)));
  }

  /** The full view of a version, trusting its manifest (parents are still checked by digest). */
  public DatasetView view(String dataset, long version) {
    return view(dataset, version, null);
  }

  /**
   * The full view of a version. When {@code manifestDigest} is given (e.g. {@code
   * DataArrived.manifestDigest}), the version's manifest must have exactly that sha256.
   *
   * @throws StorageException when a manifest or file is missing or does not match its digest
   */
  public DatasetView view(String dataset, long version, String manifestDigest) {
    Deque<DatasetManifest> chain = new ArrayDeque<>();
    String expected = manifestDigest;
    String topDigest = null;
    Long next = version;
    while (next != null) {
      String key = DatasetLayout.manifestKey(dataset, next);
      byte[] bytes = expected == null ? store.get(key) : store.getVerified(key, expected);
      if (topDigest == null) {
        topDigest = Digests.of(bytes);
      }
      DatasetManifest m = DatasetManifest.parse(bytes);
      if (!dataset.equals(m.dataset()) || m.version() != next) {
        throw new StorageException(
            store.uri(key)
                + " names "
                + m.dataset()
                + " v"
                + m.version()
                + ", not "
                + dataset
                + " v"
                + next,
            null);
      }
      if (m.parentVersion() != null && m.parentVersion() >= m.version()) {
        throw new StorageException(store.uri(key) + " has parent v" + m.parentVersion(), null);
      }
      chain.addFirst(m);
      next = m.parentVersion();
      expected = m.parentDigest();
    }
    String kind = chain.getLast().kind();
    List<DatasetRecord> train = new ArrayList<>();
    List<DatasetRecord> test = new ArrayList<>();
    for (DatasetManifest m : chain) {
      if (!kind.equals(m.kind())) {
        throw new StorageException(
            dataset + " v" + m.version() + " is " + m.kind() + " but v" + version + " is " + kind,
            null);
      }
      read(m, DatasetLayout.TRAIN, train);
      read(m, DatasetLayout.TEST, test);
    }
    return new DatasetView(dataset, version, topDigest, kind, List.copyOf(chain), train, test);
  }

  private void read(DatasetManifest m, String file, List<DatasetRecord> into) {
    DatasetManifest.FileEntry entry = m.files().get(file);
    if (entry == null) {
      return;
    }
    String key = DatasetLayout.prefix(m.dataset(), m.version()) + file;
    byte[] gz = store.getVerified(key, entry.sha256());
    long before = into.size();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(gz)), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isEmpty()) {
          into.add(record(JSON.readTree(line)));
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot read " + store.uri(key) + ": " + e.getMessage(), e);
    }
    if (into.size() - before != entry.records()) {
      throw new StorageException(
          store.uri(key)
              + " holds "
              + (into.size() - before)
              + " records, manifest says "
              + entry.records(),
          null);
    }
  }

  private static DatasetRecord record(JsonNode n) {
    return new DatasetRecord(
        n.path("id").asText(), text(n, "prompt"), text(n, "completion"), text(n, "text"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
