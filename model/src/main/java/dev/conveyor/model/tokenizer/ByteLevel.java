package dev.conveyor.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GPT-2's byte-to-unicode map and pre-tokenizer regex, as HuggingFace's ByteLevel applies them. */
final class ByteLevel {

  /** GPT-2 split pattern; HuggingFace's ByteLevel pre-tokenizer uses the same. */
  static final Pattern SPLIT =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final char[] BYTE_TO_CHAR = new char[256];

  static {
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      printable[b] = true;
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      printable[b] = true;
    }
    int next = 0;
    for (int b = 0; b < 256; b++) {
      BYTE_TO_CHAR[b] = printable[b] ? (char) b : (char) (256 + next++);
    }
  }

  private ByteLevel() {}

  /** The printable stand-in for one byte. */
  static char charOf(int unsignedByte) {
    return BYTE_TO_CHAR[unsignedByte];
  }

  /** Splits text into pre-tokens and maps each to its byte-level string. */
  static void preTokenize(String text, java.util.function.Consumer<String> sink) {
    Matcher m = SPLIT.matcher(text);
    while (m.find()) {
      byte[] bytes = m.group().getBytes(StandardCharsets.UTF_8);
      StringBuilder sb = new StringBuilder(bytes.length);
      for (byte b : bytes) {
        sb.append(BYTE_TO_CHAR[b & 0xFF]);
      }
      sink.accept(sb.toString());
    }
  }
}
