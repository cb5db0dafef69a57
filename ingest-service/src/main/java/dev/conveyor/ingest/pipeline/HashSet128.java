package dev.conveyor.ingest.pipeline;

/**
 * The content hashes a dataset already holds, as their first 128 bits in an open-addressing table
 * (16 bytes per entry instead of ~150 for boxed keys). Two different records share a 128-bit prefix
 * with probability about n^2 / 2^129: never, in practice.
 */
public final class HashSet128 {
  // hi and lo of an entry sit side by side, so a probe touches one cache line; (0, 0) marks an
  // empty slot and the all-zero key itself is kept in a flag.
  private long[] slots;
  private int size;
  private boolean zero;

  public HashSet128(int expected) {
    slots = new long[2 * capacityFor(expected)];
  }

  public int size() {
    return size + (zero ? 1 : 0);
  }

  public boolean contains(byte[] hash) {
    return contains(word(hash, 0), word(hash, 8));
  }

  /** Adds the hash; false when it was already there. */
  public boolean add(byte[] hash) {
    return add(hash, 0);
  }

  /** Adds the hash stored at {@code off} in {@code packed}; false when it was already there. */
  public boolean add(byte[] packed, int off) {
    return add(word(packed, off), word(packed, off + 8));
  }

  private boolean contains(long h, long l) {
    if ((h | l) == 0) {
      return zero;
    }
    int mask = slots.length / 2 - 1;
    for (int i = slot(l, mask); ; i = (i + 1) & mask) {
      long sh = slots[2 * i];
      long sl = slots[2 * i + 1];
      if (sh == h && sl == l) {
        return true;
      }
      if ((sh | sl) == 0) {
        return false;
      }
    }
  }

  private boolean add(long h, long l) {
    if ((h | l) == 0) {
      boolean added = !zero;
      zero = true;
      return added;
    }
    if ((size + 1) * 2L > slots.length / 2) {
      grow();
    }
    int mask = slots.length / 2 - 1;
    for (int i = slot(l, mask); ; i = (i + 1) & mask) {
      long sh = slots[2 * i];
      long sl = slots[2 * i + 1];
      if (sh == h && sl == l) {
        return false;
      }
      if ((sh | sl) == 0) {
        slots[2 * i] = h;
        slots[2 * i + 1] = l;
        size++;
        return true;
      }
    }
  }

  private void grow() {
    long[] old = slots;
    if (old.length >= 1 << 30) {
      throw new IllegalStateException("more than 2^28 hashes in one set");
    }
    slots = new long[old.length * 2];
    size = 0;
    for (int i = 0; i < old.length; i += 2) {
      if ((old[i] | old[i + 1]) != 0) {
        add(old[i], old[i + 1]);
      }
    }
  }

  private static int capacityFor(int expected) {
    long want = Math.max(16L, 2L * Math.max(0, expected));
    long cap = Long.highestOneBit(want - 1) << 1;
    return (int) Math.min(cap, 1 << 29);
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
