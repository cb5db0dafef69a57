package dev.conveyor.bleu;

/** Splits text on Python's notion of whitespace, as {@code str.split()} with no argument does. */
final class Tokens {
  private Tokens() {}

  /** Receives each token as a range of the split buffer, without copying it. */
  @FunctionalInterface
  interface Sink {
    void token(char[] text, int start, int end);
  }

  static void split(char[] s, int n, Sink sink) {
    int i = 0;
    while (i < n) {
      while (i < n && PyStrings.isSpace(s[i])) {
        i++;
      }
      if (i == n) {
        return;
      }
      int start = i;
      // Python whitespace is all in the BMP, so a surrogate half is never a separator.
      while (i < n && !PyStrings.isSpace(s[i])) {
        i++;
      }
      sink.token(s, start, i);
    }
  }
}
