package dev.conveyor.bleu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads text files the way sacreBLEU's command line does: strict UTF-8, universal newlines ({@code
 * \n}, {@code \r\n}, {@code \r}) and no trailing empty line after a final newline.
 */
public final class TextLines {
  private TextLines() {}

  /**
   * The lines of {@code path}; invalid UTF-8 is an {@link IllegalArgumentException} naming the
   * line.
   */
  public static List<String> read(Path path) {
    try {
      return decode(Files.readAllBytes(path), path.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** The lines of UTF-8 {@code bytes}; {@code name} names the source in error messages. */
  public static List<String> decode(byte[] bytes, String name) {
    String text = strictUtf8(bytes, name);
    List<String> lines = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < n) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  private static String strictUtf8(byte[] bytes, String name) {
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return dec.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "invalid UTF-8 in " + name + " at line " + lineOfFirstError(bytes));
    }
  }

  private static int lineOfFirstError(byte[] bytes) {
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    dec.decode(in, out, true);
    int line = 1;
    for (int i = 0; i < in.position(); i++) {
      byte b = bytes[i];
      if (b == '\n' || (b == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
        line++;
      }
    }
    return line;
  }
}
