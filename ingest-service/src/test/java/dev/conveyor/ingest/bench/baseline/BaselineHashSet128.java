package dev.conveyor.ingest.bench.baseline;

/**
 * Frozen copy of the pre-#7 pipeline class, for {@link BaselineDurablePath} only.
 *
 * <p>The content hashes a dataset already holds, as their first 128 bits in an open-addressing
 * table (16 bytes per entry instead of ~150 for boxed keys). Two different records share a 128-bit
 * prefix with probability about n^2 / 2^129: never, in practice.
 */
public final class BaselineHashSet128 {
  private long[] hi;
  private long[] lo;
  private boolean[] used;
  private int size;

  public BaselineHashSet128(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    hi = new long[cap];
    lo = new long[cap];
    used = new boolean[cap];
  }

  public int size() {
    return size;
  }

  public boolean contains(byte[] hash) {
    long h = word(hash, 0);
    long l = word(hash, 8);
    int mask = used.length - 1;
    for (int i = slot(l, mask); used[i]; i = (i + 1) & mask) {
      if (hi[i] == h && lo[i] == l) {
        return true;
      }
    }
    return false;
  }

  /** Adds the hash; false when it was already there. */
  public boolean add(byte[] hash) {
    return add(word(hash, 0), word(hash, 8));
  }

  private boolean add(long h, long l) {
    if ((size + 1) * 2 > used.length) {
      grow();
    }
    int mask = used.length - 1;
    int i = slot(l, mask);
    for (; used[i]; i = (i + 1) & mask) {
      if (hi[i] == h && lo[i] == l) {
        return false;
      }
    }
    used[i] = true;
    hi[i] = h;
    lo[i] = l;
    size++;
    return true;
  }

  private void grow() {
    long[] oh = hi;
    long[] ol = lo;
    boolean[] ou = used;
    hi = new long[oh.length * 2];
    lo = new long[oh.length * 2];
    used = new boolean[oh.length * 2];
    size = 0;
    for (int i = 0; i < ou.length; i++) {
      if (ou[i]) {
        add(oh[i], ol[i]);
      }
    }
  }

  private static int slot(long l, int mask) {
    // sha256 bits are uniform already; mix anyway in case a caller passes structured keys
    return (int) ((l ^ (l >>> 29)) * 0x9E3779B97F4A7C15L >>> 32) & mask;
  }

  private static long word(byte[] b, int off) {
    long v = 0;
    for (int i = off; i < off + 8; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }
}
