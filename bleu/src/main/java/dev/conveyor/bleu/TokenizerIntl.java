package dev.conveyor.bleu;

import java.util.Arrays;

/**
 * sacreBLEU's {@code intl} tokenizer (mteval-v14.pl's international mode).
 *
 * <p>The three {@code regex.sub} passes are replayed as left-to-right scans over code points with
 * the {@code regex} module's own {@code \p{P}}, {@code \p{S}} and {@code \p{N}} tables.
 */
final class TokenizerIntl {
  private static final UnicodeTables U = UnicodeTables.INSTANCE;

  private TokenizerIntl() {}

  static CharSequence spaced(String line) {
    int[] cps = line.codePoints().toArray();
    int n = cps.length;
    int[] cls = new int[n];
    for (int i = 0; i < n; i++) {
      cls[i] = U.classOf(cps[i]);
    }
    // Spaces inserted by a pass are neither P, S nor N, so their class is simply 0.
    int[] a = new int[n * 2 + 2];
    int[] ac = new int[a.length];
    int m = 0;
    // (\P{N})(\p{P}) -> "\1 \2 "
    for (int i = 0; i < n; ) {
      if (i + 1 < n
          && (cls[i] & UnicodeTables.NUMBER) == 0
          && (cls[i + 1] & UnicodeTables.PUNCT) != 0) {
        if (m + 4 > a.length) {
          a = Arrays.copyOf(a, a.length * 2 + 4);
          ac = Arrays.copyOf(ac, a.length);
        }
        a[m] = cps[i];
        ac[m++] = cls[i];
        a[m] = ' ';
        ac[m++] = 0;
        a[m] = cps[i + 1];
        ac[m++] = cls[i + 1];
        a[m] = ' ';
        ac[m++] = 0;
        i += 2;
      } else {
        if (m + 1 > a.length) {
          a = Arrays.copyOf(a, a.length * 2 + 4);
          ac = Arrays.copyOf(ac, a.length);
        }
        a[m] = cps[i];
        ac[m++] = cls[i];
        i++;
      }
    }
    StringBuilder out = new StringBuilder(m * 2 + 8);
    // (\p{P})(\P{N}) -> " \1 \2", then (\p{S}) -> " \1 " applied to that output.
    for (int i = 0; i < m; ) {
      if (i + 1 < m
          && (ac[i] & UnicodeTables.PUNCT) != 0
          && (ac[i + 1] & UnicodeTables.NUMBER) == 0) {
        out.append(' ');
        appendSymbolPass(out, a[i], ac[i]);
        out.append(' ');
        appendSymbolPass(out, a[i + 1], ac[i + 1]);
        i += 2;
      } else {
        appendSymbolPass(out, a[i], ac[i]);
        i++;
      }
    }
    return out;
  }

  private static void appendSymbolPass(StringBuilder out, int cp, int cls) {
    if ((cls & UnicodeTables.SYMBOL) != 0) {
      out.append(' ').appendCodePoint(cp).append(' ');
    } else {
      out.appendCodePoint(cp);
    }
  }
}
