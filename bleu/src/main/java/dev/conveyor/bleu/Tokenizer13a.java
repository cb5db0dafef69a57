package dev.conveyor.bleu;

/**
 * sacreBLEU's {@code 13a} tokenizer (mteval-v13a.pl).
 *
 * <p>Each pass reproduces one {@code re.sub} of the original: the patterns are two characters wide
 * and matched left to right without overlap, so a single forward scan that skips both characters of
 * a match yields the same string. Only ASCII characters take part, so scanning UTF-16 units is
 * exact.
 */
final class Tokenizer13a {
  private Tokenizer13a() {}

  static void spaced(String line, Scratch s) {
    if (line.indexOf('<') >= 0) {
      line = line.replace("<skipped>", "");
    }
    if (line.indexOf('\n') >= 0) {
      line = line.replace("-\n", "").replace("\n", " ");
    }
    if (line.indexOf('&') >= 0) {
      line =
          line.replace("&quot;", "\"")
              .replace("&amp;", "&")
              .replace("&lt;", "<")
              .replace("&gt;", ">");
    }
    int n = line.length();
    char[] a = s.out = Scratch.ensure(s.out, 3 * n + 2);
    int m = 0;
    a[m++] = ' ';
    for (int i = 0; i < n; i++) {
      char c = line.charAt(i);
      if (isSplitSymbol(c)) {
        a[m++] = ' ';
        a[m++] = c;
        a[m++] = ' ';
      } else {
        a[m++] = c;
      }
    }
    a[m++] = ' ';
    // ([^0-9])([\.,]) -> "\1 \2 "
    char[] b = s.tmp = Scratch.ensure(s.tmp, 2 * m);
    int k = 0;
    for (int i = 0; i < m; ) {
      char c = a[i];
      if (i + 1 < m && !isDigit(c) && isPeriodOrComma(a[i + 1])) {
        b[k++] = c;
        b[k++] = ' ';
        b[k++] = a[i + 1];
        b[k++] = ' ';
        i += 2;
      } else {
        b[k++] = c;
        i++;
      }
    }
    // ([\.,])([^0-9]) -> " \1 \2"
    a = s.out = Scratch.ensure(s.out, 2 * k);
    m = 0;
    for (int i = 0; i < k; ) {
      char c = b[i];
      if (i + 1 < k && isPeriodOrComma(c) && !isDigit(b[i + 1])) {
        a[m++] = ' ';
        a[m++] = c;
        a[m++] = ' ';
        a[m++] = b[i + 1];
        i += 2;
      } else {
        a[m++] = c;
        i++;
      }
    }
    // ([0-9])(-) -> "\1 \2 "
    b = s.tmp = Scratch.ensure(s.tmp, 2 * m);
    k = 0;
    for (int i = 0; i < m; ) {
      char c = a[i];
      if (i + 1 < m && isDigit(c) && a[i + 1] == '-') {
        b[k++] = c;
        b[k++] = ' ';
        b[k++] = '-';
        b[k++] = ' ';
        i += 2;
      } else {
        b[k++] = c;
        i++;
      }
    }
    // Hand the result over as the output buffer.
    s.tmp = s.out;
    s.out = b;
    s.outLength = k;
  }

  // The class [\{-\~\[-\` -\&\(-\+\:-\@\/] of the first substitution.
  private static boolean isSplitSymbol(char c) {
    return (c >= '{' && c <= '~')
        || (c >= '[' && c <= '`')
        || (c >= ' ' && c <= '&')
        || (c >= '(' && c <= '+')
        || (c >= ':' && c <= '@')
        || c == '/';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isPeriodOrComma(char c) {
    return c == '.' || c == ',';
  }
}
