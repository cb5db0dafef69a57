package dev.conveyor.ingest.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sha256 hashes of a version's new records in arrival order, packed 32 bytes each into chunks
 * of {@link #CHUNK} hashes: one chunk is one row of {@code record_hash_chunk}, and a million hashes
 * cost 32 MB instead of a million small arrays.
 */
public final class HashList {
  public static final int HASH_BYTES = 32;
  public static final int CHUNK = 65_536;
  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current;
  private int inCurrent = CHUNK;
  private long size;

  public void add(byte[] hash) {
    if (hash.length != HASH_BYTES) {
      throw new IllegalArgumentException("a sha256 hash has 32 bytes, not " + hash.length);
    }
    if (inCurrent == CHUNK) {
      current = new byte[CHUNK * HASH_BYTES];
      chunks.add(current);
      inCurrent = 0;
    }
    System.arraycopy(hash, 0, current, inCurrent * HASH_BYTES, HASH_BYTES);
    inCurrent++;
    size++;
  }

  public long size() {
    return size;
  }

  /** The chunks, each {@code n * 32} bytes (only the last one may hold fewer than CHUNK). */
  public List<byte[]> chunks() {
    List<byte[]> out = new ArrayList<>(chunks);
    if (!out.isEmpty() && inCurrent < CHUNK) {
      out.set(out.size() - 1, Arrays.copyOf(current, inCurrent * HASH_BYTES));
    }
    return out;
  }

  /** Adds every hash to {@code set}. */
  public void addTo(HashSet128 set) {
    for (int c = 0; c < chunks.size(); c++) {
      byte[] chunk = chunks.get(c);
      int n = c == chunks.size() - 1 ? inCurrent : CHUNK;
      for (int i = 0; i < n; i++) {
        set.add(chunk, i * HASH_BYTES);
      }
    }
  }
}
