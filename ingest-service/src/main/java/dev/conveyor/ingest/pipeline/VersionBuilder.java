package dev.conveyor.ingest.pipeline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Builds the files of one version from validated records: hashes each record, drops those the
 * dataset (or this pull) already has, splits by hash and streams train/test/quarantine into gzip
 * files under a staging directory, computing each file's sha256 as it goes.
 *
 * <p>Three stages on their own threads: the caller (the parser) validates and hashes; a writer
 * thread de-duplicates, splits and serializes, in the exact order the records arrived; each file is
 * compressed by a {@link BackgroundGzip}. The files are the same as with one thread.
 */
public final class VersionBuilder implements PayloadParser.Sink, AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int BATCH = 1024;
  private static final Batch END = new Batch();
  private final Path dir;
  private final int testPermille;
  private final HashSet128 known;
  private final HashSet128 seen = new HashSet128(1 << 16);
  private final HashList added = new HashList();
  private final FileWriter train;
  private final FileWriter test;
  private final FileWriter quarantine;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(16);
  private final Thread writer;
  private final char[] hex = new char[64];
  private volatile Throwable failure;
  private volatile boolean aborted;
  private Batch batch = new Batch();
  private boolean ended;
  private long duplicates;

  /**
   * @param known hashes of every earlier version of the dataset (only read, by the writer thread,
   *     until {@link #finish()} or {@link #close()} returns)
   */
  public VersionBuilder(Path dir, int testPermille, HashSet128 known) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.testPermille = testPermille;
    this.known = known;
    this.train = new FileWriter(dir.resolve(DatasetLayout.TRAIN));
    this.test = new FileWriter(dir.resolve(DatasetLayout.TEST));
    this.quarantine = new FileWriter(dir.resolve(DatasetLayout.QUARANTINE));
    this.writer = new Thread(this::drain, "ingest-writer-" + dir.getFileName());
    this.writer.setDaemon(true);
    this.writer.start();
  }

  @Override
  public void accept(Candidate c) {
    byte[] hash =
        c.text() == null ? ContentHash.qa(c.prompt(), c.completion()) : ContentHash.text(c.text());
    batch.items[batch.size] = c;
    batch.hashes[batch.size++] = hash;
    if (batch.size == BATCH) {
      handOver();
    }
  }

  @Override
  public void reject(Rejected r) {
    batch.items[batch.size++] = r;
    if (batch.size == BATCH) {
      handOver();
    }
  }

  /** Waits for the writer, closes the files and returns what the version holds. */
  public Result finish() throws IOException {
    if (batch.size > 0) {
      handOver();
    }
    end();
    rethrow();
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
        added);
  }

  /** Stops the writer (dropping whatever it has not written) and closes the files. */
  @Override
  public void close() throws IOException {
    if (!ended) {
      aborted = true;
      queue.clear(); // the writer only takes, so END now fits
      queue.add(END);
      joinWriter();
      ended = true;
    }
    for (FileWriter w : List.of(train, test, quarantine)) {
      w.close();
    }
  }

  private void handOver() {
    rethrow();
    try {
      queue.put(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building a version", e);
    }
    batch = new Batch();
  }

  private void end() {
    try {
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building a version", e);
    }
    joinWriter();
    ended = true;
  }

  private void joinWriter() {
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true; // the writer stops on its own after END; the files must not be shared
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrow() {
    Throwable t = failure;
    if (t instanceof IOException io) {
      throw new UncheckedIOException(io);
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t != null) {
      throw new IllegalStateException("writing the version failed: " + t, t);
    }
  }

  /** The writer thread: applies batches in order until END; after a failure it only drains. */
  private void drain() {
    while (true) {
      Batch b;
      try {
        b = queue.take();
      } catch (InterruptedException e) {
        failure = e;
        return;
      }
      if (b == END) {
        return;
      }
      if (failure != null || aborted) {
        continue;
      }
      try {
        for (int i = 0; i < b.size; i++) {
          if (b.items[i] instanceof Candidate c) {
            write(c, b.hashes[i]);
          } else {
            write((Rejected) b.items[i]);
          }
        }
      } catch (Throwable t) {
        failure = t;
      }
    }
  }

  private void write(Candidate c, byte[] hash) throws IOException {
    if (known.contains(hash) || !seen.add(hash)) {
      duplicates++;
      return;
    }
    added.add(hash);
    FileWriter out = Split.isTest(hash, testPermille) ? test : train;
    JsonGenerator g = out.json;
    g.writeStartObject();
    g.writeFieldName("id");
    for (int i = 0; i < 32; i++) {
      hex[2 * i] = HEX[(hash[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[hash[i] & 0xf];
    }
    g.writeString(hex, 0, 64);
    if (c.text() == null) {
      g.writeStringField("prompt", c.prompt());
      g.writeStringField("completion", c.completion());
    } else {
      g.writeStringField("text", c.text());
    }
    g.writeEndObject();
    g.writeRaw('\n');
    out.records++;
  }

  private void write(Rejected r) throws IOException {
    JsonGenerator g = quarantine.json;
    g.writeStartObject();
    g.writeNumberField("line", r.line());
    g.writeStringField("source", r.origin());
    g.writeStringField("reason", r.reason());
    g.writeStringField("raw", r.raw());
    g.writeEndObject();
    g.writeRaw('\n');
    quarantine.records++;
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
      HashList hashes) {}

  private static final class Batch {
    final Object[] items = new Object[BATCH];
    final byte[][] hashes = new byte[BATCH][];
    int size;
  }

  private static final class FileWriter {
    final Path file;
    final BackgroundGzip gzip;
    final JsonGenerator json;
    long records;
    private boolean closed;

    FileWriter(Path file) throws IOException {
      this.file = file;
      this.gzip = new BackgroundGzip(file);
      this.json = JSON.createGenerator(gzip, JsonEncoding.UTF8);
      this.json.setRootValueSeparator(null);
    }

    void close() throws IOException {
      if (!closed) {
        closed = true;
        try {
          json.close();
        } finally {
          gzip.close(); // also when flushing failed: the compressing thread must end
        }
      }
    }

    String digest() {
      return gzip.digest();
    }
  }
}
