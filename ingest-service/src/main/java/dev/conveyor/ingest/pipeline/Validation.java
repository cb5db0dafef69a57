package dev.conveyor.ingest.pipeline;

/** Field checks shared by every format; each returns a reason or null when the value is fine. */
final class Validation {
  private Validation() {}

  static String check(String field, String value, int maxChars) {
    if (value == null) {
      return "missing field '" + field + "'";
    }
    if (value.isBlank()) {
      return "empty field '" + field + "'";
    }
    if (value.length() > maxChars) {
      return "field '" + field + "' is " + value.length() + " chars, limit " + maxChars;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
        return String.format("control character U+%04X in field '%s'", (int) c, field);
      }
      if (c == '\uFFFD') {
        return "replacement character U+FFFD in field '" + field + "' (mis-decoded text)";
      }
    }
    return null;
  }
}
