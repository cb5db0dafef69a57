package dev.conveyor.bleu;

/**
 * Maps token text to dense int ids without allocating a String for tokens already seen.
 *
 * <p>Open addressing over the characters of a range, because tokens are cut out of larger buffers
 * and most of them repeat.
 */
final class TokenInterner {
  private String[] keys = new String[1 << 12];
  private int[] hashes = new int[1 << 12];
  private int[] ids = new int[1 << 12];
  private int size;

  int size() {
    return size;
  }

  int intern(char[] s, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + s[i];
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    int mask = keys.length - 1;
    int slot = h & mask;
    while (true) {
      String k = keys[slot];
      if (k == null) {
        break;
      }
      if (hashes[slot] == h && equalsRange(k, s, start, end)) {
        return ids[slot];
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = new String(s, start, end - start);
    hashes[slot] = h;
    ids[slot] = size;
    size++;
    if (size * 2 > keys.length) {
      grow();
    }
    return size - 1;
  }

  private static boolean equalsRange(String k, char[] s, int start, int end) {
    int n = end - start;
    if (k.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (k.charAt(i) != s[start + i]) {
        return false;
      }
    }
    return true;
  }

  private void grow() {
    String[] oldKeys = keys;
    int[] oldHashes = hashes;
    int[] oldIds = ids;
    int cap = oldKeys.length * 2;
    keys = new String[cap];
    hashes = new int[cap];
    ids = new int[cap];
    int mask = cap - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        int slot = oldHashes[i] & mask;
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        hashes[slot] = oldHashes[i];
        ids[slot] = oldIds[i];
      }
    }
  }
}
