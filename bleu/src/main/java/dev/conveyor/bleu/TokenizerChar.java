package dev.conveyor.bleu;

/** sacreBLEU's {@code char} tokenizer: each code point (not UTF-16 unit) becomes a token. */
final class TokenizerChar {
  private TokenizerChar() {}

  static CharSequence spaced(String line) {
    StringBuilder out = new StringBuilder(line.length() * 2);
    for (int i = 0; i < line.length(); ) {
      int cp = line.codePointAt(i);
      if (i > 0) {
        out.append(' ');
      }
      out.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    return out;
  }
}
