package dev.conveyor.ingest.pipeline;

import dev.conveyor.storage.Digests;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip file (level 1) written by a thread of its own: the caller's bytes are handed over in
 * blocks, compressed and sha256-digested in order, so serializing and compressing (the most
 * expensive step of building a version) run side by side. The file is one ordinary gzip member.
 */
final class BackgroundGzip extends OutputStream {
  private static final int BLOCK = 1 << 18;
  private static final int BLOCKS = 8;
  private static final Block END = new Block(null, -1);
  private final Path file;
  private final MessageDigest md = Digests.sha256();
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS);
  private final BlockingQueue<Block> full = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile Throwable failure;
  private byte[] current;
  private int pos;
  private boolean closed;

  BackgroundGzip(Path file) throws IOException {
    this.file = file;
    OutputStream gz =
        new GZIPOutputStream(
            new BufferedOutputStream(
                new DigestOutputStream(Files.newOutputStream(file), md), 1 << 16),
            1 << 16) {
          {
            // level 1: ~4x faster than the default and still ~3-4x smaller than plain JSON Lines
            def.setLevel(Deflater.BEST_SPEED);
          }
        };
    for (int i = 1; i < BLOCKS; i++) {
      free.add(new byte[BLOCK]);
    }
    current = new byte[BLOCK];
    thread = new Thread(() -> compress(gz), "ingest-gzip-" + file.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  /** sha256 of the compressed file; valid after {@link #close()}. */
  String digest() {
    return Digests.format(md.digest());
  }

  @Override
  public void write(int b) throws IOException {
    if (pos == BLOCK) {
      handOver();
    }
    current[pos++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (pos == BLOCK) {
        handOver();
      }
      int n = Math.min(len, BLOCK - pos);
      System.arraycopy(b, off, current, pos, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  /** Waits until every byte is compressed and the file is closed; rethrows a failure. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (pos > 0) {
      full.add(new Block(current, pos));
    }
    full.add(END);
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true; // the thread ends on its own after END; the file must be complete
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    rethrow();
  }

  private void handOver() throws IOException {
    rethrow();
    try {
      full.add(new Block(current, pos));
      current = free.take();
      pos = 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing " + file);
    }
  }

  private void rethrow() throws IOException {
    Throwable t = failure;
    if (t instanceof IOException io) {
      throw io;
    }
    if (t != null) {
      throw new IOException("cannot write " + file + ": " + t, t);
    }
  }

  /** The compressing thread; after a failure it only returns the buffers until END. */
  private void compress(OutputStream gz) {
    try {
      while (true) {
        Block b = full.take();
        if (b == END) {
          break;
        }
        if (failure == null) {
          try {
            gz.write(b.data, 0, b.length);
          } catch (Throwable t) {
            failure = t;
          }
        }
        free.add(b.data);
      }
    } catch (InterruptedException e) {
      failure = e;
    } finally {
      try {
        gz.close();
      } catch (Throwable t) {
        if (failure == null) {
          failure = t;
        }
      }
    }
  }

  private record Block(byte[] data, int length) {}
}
