package dev.conveyor.ingest.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts text into training windows of about {@code size} chars that overlap by about {@code overlap}
 * chars, ending and starting at whitespace where possible. Deterministic: the same text always
 * gives the same windows, and appending text leaves the earlier windows unchanged except the last.
 */
public final class Windows {
  private Windows() {}

  public static List<String> cut(String text, int size, int overlap) {
    return new ArrayList<>(cutWithOffsets(text, size, overlap).values());
  }

  /** Windows by start offset in {@code text}. */
  public static Map<Integer, String> cutWithOffsets(String text, int size, int overlap) {
    Map<Integer, String> out = new LinkedHashMap<>();
    int len = text.length();
    int start = skipSpace(text, 0);
    while (start < len) {
      int end = Math.min(len, start + size);
      if (end < len) {
        int cut = end;
        while (cut > start + size / 2 && !Character.isWhitespace(text.charAt(cut))) {
          cut--;
        }
        if (cut > start + size / 2) {
          end = cut;
        }
      }
      String w = text.substring(start, end).strip();
      if (!w.isEmpty()) {
        out.put(start, w);
      }
      if (end >= len) {
        break;
      }
      int next = Math.max(end - overlap, start + 1);
      // start the next window at a word boundary
      int limit = Math.min(end, next + 32);
      int b = next;
      while (b < limit && !Character.isWhitespace(text.charAt(b - 1))) {
        b++;
      }
      start = skipSpace(text, b < limit ? b : next);
    }
    return out;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
