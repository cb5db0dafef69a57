package dev.conveyor.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conveyor.storage.Digests;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hash is every record's identity in every version: it must never change. */
class ContentHashTest {
  private static final String ALPHABET =
      "aZ9 ?.\t\n\u000B\f\r\u001C\u001D\u001E\u001F\u0001\u007FQ:"
          + "\u00A0\u0085\u2003\u3000\uFB01\u00C9\u03A3\u0130\uD83D\uDE00";

  /** What every version before the ASCII fast path hashed. */
  private static byte[] reference(String prompt, String completion) {
    String s =
        "qa\u0001" + ContentHash.normalize(prompt) + "\u0002" + ContentHash.normalize(completion);
    return Digests.sha256().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theAsciiFastPathHashesWhatNormalizeDefines() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      // mostly ASCII, sometimes one non-ASCII char (the slow path), lengths 0..40
      String p = random(random, i % 3 == 0 ? ALPHABET.length() : 19);
      String c = random(random, i % 5 == 0 ? ALPHABET.length() : 19);
      assertArrayEquals(reference(p, c), ContentHash.qa(p, c), () -> p + " / " + c);
      byte[] text =
          Digests.sha256()
              .digest(("text\u0001" + ContentHash.normalize(p)).getBytes(StandardCharsets.UTF_8));
      assertArrayEquals(text, ContentHash.text(p), p);
    }
    String longer = "Word ".repeat(2000) + "\t END ";
    assertArrayEquals(reference(longer, longer), ContentHash.qa(longer, longer));
  }

  @Test
  void knownValuesStayTheSame() {
    // pinned: changing them would make every stored record look new
    assertEquals(
        "e0ed57994b19b9e5e70997d1a5dec2601f78f9b77305a9f5e359ab59f4924b30",
        ContentHash.hex(ContentHash.qa("  What   IS\tX? ", "X\n")));
    assertEquals(
        "a027c408f741da9d9357c389910d0cbc2c487d868943e2b532dd52d406397528",
        ContentHash.hex(ContentHash.text("To be,\r\n  or NOT to be\u001F")));
  }

  private static String random(Random r, int alphabet) {
    int n = r.nextInt(41);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(r.nextInt(alphabet)));
    }
    return sb.toString();
  }
}
