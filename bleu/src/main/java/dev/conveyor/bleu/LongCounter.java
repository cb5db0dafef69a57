package dev.conveyor.bleu;

import java.util.Arrays;

/**
 * A small reusable long-to-count hash map for one segment's n-grams. {@link #reset} is O(1): slots
 * belong to the current generation only, so nothing is cleared between segments.
 */
final class LongCounter {
  private long[] keys = new long[256];
  private int[] counts = new int[256];
  private int[] gen = new int[256];
  private int[] used = new int[128];
  private int size;
  private int generation = 1;
  private int shift = 64 - 8;
  private int mask = 255;

  /** Empties the map, sized for up to {@code expected} distinct keys. */
  void reset(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    if (cap > keys.length) {
      keys = new long[cap];
      counts = new int[cap];
      gen = new int[cap];
      used = new int[cap];
      mask = cap - 1;
      shift = 64 - Integer.numberOfTrailingZeros(cap);
      generation = 1;
    } else if (++generation == Integer.MAX_VALUE) {
      Arrays.fill(gen, 0);
      generation = 1;
    }
    size = 0;
  }

  private int slot(long key) {
    int s = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    while (gen[s] == generation && keys[s] != key) {
      s = (s + 1) & mask;
    }
    return s;
  }

  /** Adds one occurrence of {@code key}. */
  void increment(long key) {
    int s = slot(key);
    if (gen[s] != generation) {
      gen[s] = generation;
      keys[s] = key;
      counts[s] = 1;
      used[size++] = s;
    } else {
      counts[s]++;
    }
  }

  /** Raises the count of {@code key} to at least {@code value}. */
  void max(long key, int value) {
    int s = slot(key);
    if (gen[s] != generation) {
      gen[s] = generation;
      keys[s] = key;
      counts[s] = value;
      used[size++] = s;
    } else if (counts[s] < value) {
      counts[s] = value;
    }
  }

  int get(long key) {
    int s = slot(key);
    return gen[s] == generation ? counts[s] : 0;
  }

  int size() {
    return size;
  }

  long keyAt(int i) {
    return keys[used[i]];
  }

  int countAt(int i) {
    return counts[used[i]];
  }
}
