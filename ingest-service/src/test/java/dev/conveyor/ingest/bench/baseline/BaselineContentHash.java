package dev.conveyor.ingest.bench.baseline;

import dev.conveyor.storage.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Frozen copy of the pre-#7 pipeline class, for {@link BaselineDurablePath} only.
 *
 * <p>The identity of a record: sha256 of its normalized content (NFKC, lower case, whitespace runs
 * collapsed, trimmed), so "What is X?" and "what is x? " are the same record.
 */
final class BaselineContentHash {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Digests::sha256);

  private BaselineContentHash() {}

  public static byte[] qa(String prompt, String completion) {
    return sha256("qa\u0001" + normalize(prompt) + "\u0002" + normalize(completion));
  }

  public static byte[] text(String text) {
    return sha256("text\u0001" + normalize(text));
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

  private static byte[] sha256(String s) {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(s.getBytes(StandardCharsets.UTF_8));
  }
}
