package dev.conveyor.ingest.pipeline;

import dev.conveyor.storage.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The identity of a record: sha256 of its normalized content (NFKC, lower case, whitespace runs
 * collapsed, trimmed), so "What is X?" and "what is x? " are the same record.
 */
public final class ContentHash {
  private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);
  private static final byte[] QA = {'q', 'a', 1};
  private static final byte[] TEXT = {'t', 'e', 'x', 't', 1};

  private ContentHash() {}

  /** sha256 of {@code "qa\u0001" + normalize(prompt) + "\u0002" + normalize(completion)}. */
  public static byte[] qa(String prompt, String completion) {
    Hasher h = HASHER.get();
    h.size = 0;
    h.append(QA);
    h.appendNormalized(prompt);
    h.append((byte) 2);
    h.appendNormalized(completion);
    return h.digest();
  }

  /** sha256 of {@code "text\u0001" + normalize(text)}. */
  public static byte[] text(String text) {
    Hasher h = HASHER.get();
    h.size = 0;
    h.append(TEXT);
    h.appendNormalized(text);
    return h.digest();
  }

  public static String hex(byte[] hash) {
    return HexFormat.of().formatHex(hash);
  }

  static String normalize(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length() && ascii; i++) {
      ascii = s.charAt(i) < 0x80;
    }
    String n = ascii ? s : Normalizer.normalize(s, Normalizer.Form.NFKC);
    n = n.toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(n.length());
    boolean space = false;
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (Character.isWhitespace(c)) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * The UTF-8 bytes to hash, built in one reused buffer. ASCII (nearly every record) is lowered and
   * whitespace-collapsed in place, which is what {@link #normalize} does to ASCII: NFKC leaves it
   * alone, lower case only maps A-Z, and {@link Character#isWhitespace} below U+0080 is exactly
   * TAB, LF, VT, FF, CR, U+001C..U+001F and space. Anything else goes through {@link #normalize}.
   */
  private static final class Hasher {
    final MessageDigest md = Digests.sha256();
    byte[] buf = new byte[1024];
    int size;

    void append(byte b) {
      if (size == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[size++] = b;
    }

    void append(byte[] bytes) {
      for (byte b : bytes) {
        append(b);
      }
    }

    void appendNormalized(String s) {
      int n = s.length();
      for (int i = 0; i < n; i++) {
        if (s.charAt(i) >= 0x80) {
          append(normalize(s).getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
      if (buf.length - size < n) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
      int start = size;
      boolean space = false;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c <= ' ' && (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f))) {
          space = size > start;
        } else {
          if (space) {
            buf[size++] = ' '; // never overflows: a pending space replaces at least one char
            space = false;
          }
          buf[size++] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
      }
    }

    byte[] digest() {
      md.reset();
      md.update(buf, 0, size);
      return md.digest();
    }
  }
}
