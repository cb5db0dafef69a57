package dev.conveyor.bleu;

/** String operations with the exact semantics of Python 3.11's {@code str.lower/rstrip/split}. */
final class PyStrings {
  private static final UnicodeTables U = UnicodeTables.INSTANCE;

  private PyStrings() {}

  static boolean isSpace(int cp) {
    return U.isSpace(cp);
  }

  /** {@code s.rstrip()}: drops trailing Python whitespace (all of it lies in the BMP). */
  static String rstrip(String s) {
    int end = s.length();
    while (end > 0 && U.isSpace(s.charAt(end - 1))) {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }

  /** {@code s.lower()}, including Python's Final_Sigma rule for U+03A3. */
  static String lower(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
        break;
      }
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder out = new StringBuilder(n + 8);
    out.append(s, 0, i);
    while (i < n) {
      int cp = s.codePointAt(i);
      if (cp < 0x80) {
        out.append((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
      } else if (cp == 0x3A3) {
        out.append(isFinalSigma(s, i) ? '\u03c2' : '\u03c3');
      } else {
        int[] low = U.lower(cp);
        if (low == null) {
          out.appendCodePoint(cp);
        } else {
          for (int l : low) {
            out.appendCodePoint(l);
          }
        }
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static boolean isFinalSigma(String s, int at) {
    int j = at;
    int before = -1;
    while (j > 0) {
      int cp = s.codePointBefore(j);
      j -= Character.charCount(cp);
      if (!U.isCaseIgnorable(cp)) {
        before = cp;
        break;
      }
    }
    if (before < 0 || !U.isCased(before)) {
      return false;
    }
    j = at + 1;
    while (j < s.length()) {
      int cp = s.codePointAt(j);
      if (!U.isCaseIgnorable(cp)) {
        return !U.isCased(cp);
      }
      j += Character.charCount(cp);
    }
    return true;
  }
}
