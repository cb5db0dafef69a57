package dev.conveyor.bleu;

import java.util.Arrays;

/**
 * Reusable buffers for tokenizing many lines on one thread: the tokenizers write their spaced-out
 * text into {@link #out} and the token ids of a line go to {@link #ids}.
 */
final class Scratch {
  char[] out = new char[256];
  int outLength;
  char[] tmp = new char[256];
  int[] ids = new int[64];
  int idCount;

  static char[] ensure(char[] buf, int size) {
    return buf.length >= size ? buf : Arrays.copyOf(buf, Math.max(size, buf.length * 2));
  }

  void setOut(CharSequence s) {
    out = ensure(out, s.length());
    for (int i = 0; i < s.length(); i++) {
      out[i] = s.charAt(i);
    }
    outLength = s.length();
  }

  void addId(int id) {
    if (idCount == ids.length) {
      ids = Arrays.copyOf(ids, idCount * 2);
    }
    ids[idCount++] = id;
  }
}
