package dev.conveyor.storage.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of one dataset version, written last: what the version adds (only new
 * records), the sha256 of each file, its parent and the source cursors it was pulled up to.
 *
 * @param createdAt ISO-8601 UTC instant
 * @param kind {@code qa} or {@code text}
 * @param parentDigest {@code sha256:<hex>} of the parent's manifest.json; null for v1
 * @param split how train/test was decided, so a reader can check the rule never changed
 * @param files by file name ({@link DatasetLayout#TRAIN}, ...)
 */
public record DatasetManifest(
    String dataset,
    long version,
    Long parentVersion,
    String parentDigest,
    String createdAt,
    String kind,
    List<SourceCursor> sources,
    Counts counts,
    Split split,
    Map<String, FileEntry> files) {

  public static final String KIND_QA = "qa";
  public static final String KIND_TEXT = "text";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setSerializationInclusion(JsonInclude.Include.ALWAYS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public DatasetManifest {
    sources = sources == null ? List.of() : List.copyOf(sources);
    files =
        files == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /** A source this version was pulled from and where the pull got to. */
  public record SourceCursor(String name, String type, String location, String cursor) {}

  /** New records by outcome; duplicates were dropped (not stored), quarantined were rejected. */
  public record Counts(long train, long test, long quarantined, long duplicates) {}

  /**
   * The deterministic split rule: test iff the first 8 hash bytes, unsigned, mod 1000 <
   * testPermille.
   */
  public record Split(String rule, int testPermille) {}

  /** One file of the version. */
  public record FileEntry(String sha256, long size, long records) {}

  public Instant createdAtInstant() {
    return Instant.parse(createdAt);
  }

  /** The manifest as the bytes that are stored (and digested). */
  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses stored manifest bytes. */
  public static DatasetManifest parse(byte[] json) {
    try {
      return JSON.readValue(json, DatasetManifest.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a dataset manifest: " + e.getMessage(), e);
    }
  }
}
