package dev.conveyor.ingest.bench.baseline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.conveyor.ingest.pipeline.Candidate;
import dev.conveyor.ingest.pipeline.PayloadParser;
import dev.conveyor.ingest.pipeline.Rejected;
import dev.conveyor.ingest.pipeline.Split;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Frozen copy of the pre-#7 pipeline class, for {@link BaselineDurablePath} only.
 *
 * <p>Builds the files of one version from validated records: hashes each record, drops those the
 * dataset (or this pull) already has, splits by hash and streams train/test/quarantine into gzip
 * files under a staging directory, computing each file's sha256 as it goes.
 */
public final class BaselineVersionBuilder implements PayloadParser.Sink, AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();
  private final Path dir;
  private final int testPermille;
  private final BaselineHashSet128 known;
  private final BaselineHashSet128 seen = new BaselineHashSet128(1024);
  private final List<byte[]> added = new ArrayList<>();
  private final FileWriter train;
  private final FileWriter test;
  private final FileWriter quarantine;
  private long duplicates;

  /**
   * @param known hashes of every earlier version of the dataset (read only here)
   */
  public BaselineVersionBuilder(Path dir, int testPermille, BaselineHashSet128 known)
      throws IOException {
    this.dir = Files.createDirectories(dir);
    this.testPermille = testPermille;
    this.known = known;
    this.train = new FileWriter(dir.resolve(DatasetLayout.TRAIN));
    this.test = new FileWriter(dir.resolve(DatasetLayout.TEST));
    this.quarantine = new FileWriter(dir.resolve(DatasetLayout.QUARANTINE));
  }

  @Override
  public void accept(Candidate c) {
    byte[] hash =
        c.text() == null
            ? BaselineContentHash.qa(c.prompt(), c.completion())
            : BaselineContentHash.text(c.text());
    if (known.contains(hash) || !seen.add(hash)) {
      duplicates++;
      return;
    }
    added.add(hash);
    FileWriter out = Split.isTest(hash, testPermille) ? test : train;
    try {
      JsonGenerator g = out.json;
      g.writeStartObject();
      g.writeStringField("id", BaselineContentHash.hex(hash));
      if (c.text() == null) {
        g.writeStringField("prompt", c.prompt());
        g.writeStringField("completion", c.completion());
      } else {
        g.writeStringField("text", c.text());
      }
      g.writeEndObject();
      g.writeRaw('\n');
      out.records++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void reject(Rejected r) {
    try {
      JsonGenerator g = quarantine.json;
      g.writeStartObject();
      g.writeNumberField("line", r.line());
      g.writeStringField("source", r.origin());
      g.writeStringField("reason", r.reason());
      g.writeStringField("raw", r.raw());
      g.writeEndObject();
      g.writeRaw('\n');
      quarantine.records++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** New (non-duplicate) records so far. */
  public long newRecords() {
    return train.records + test.records;
  }

  /** Closes the files and returns what the version holds. */
  public Result finish() throws IOException {
    Map<String, DatasetManifest.FileEntry> files = new LinkedHashMap<>();
    for (FileWriter w : List.of(train, test, quarantine)) {
      w.close();
      files.put(
          w.file.getFileName().toString(),
          new DatasetManifest.FileEntry(w.digest(), Files.size(w.file), w.records));
    }
    return new Result(
        dir,
        files,
        new DatasetManifest.Counts(train.records, test.records, quarantine.records, duplicates),
        List.copyOf(added));
  }

  @Override
  public void close() throws IOException {
    for (FileWriter w : List.of(train, test, quarantine)) {
      w.close();
    }
  }

  /**
   * Files staged for upload.
   *
   * @param hashes the new records' hashes, for the dedup table
   */
  public record Result(
      Path dir,
      Map<String, DatasetManifest.FileEntry> files,
      DatasetManifest.Counts counts,
      List<byte[]> hashes) {}

  private static final class FileWriter {
    final Path file;
    final MessageDigest md = Digests.sha256();
    final JsonGenerator json;
    long records;
    private boolean closed;

    FileWriter(Path file) throws IOException {
      this.file = file;
      OutputStream raw = new DigestOutputStream(Files.newOutputStream(file), md);
      // level 1: ~4x faster than the default and still ~3-4x smaller than plain JSON Lines
      OutputStream gz =
          new GZIPOutputStream(new BufferedOutputStream(raw, 1 << 16), 1 << 16) {
            {
              def.setLevel(Deflater.BEST_SPEED);
            }
          };
      this.json = JSON.createGenerator(gz, JsonEncoding.UTF8);
      this.json.setRootValueSeparator(null);
    }

    void close() throws IOException {
      if (!closed) {
        closed = true;
        json.close();
      }
    }

    String digest() {
      return Digests.format(md.digest());
    }
  }
}
