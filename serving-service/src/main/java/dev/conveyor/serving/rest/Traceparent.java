package dev.conveyor.serving.rest;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context: the caller's trace id is kept (a fresh one when the header is absent or
 * malformed) and this request gets its own span id, returned in the {@code traceparent} header.
 */
public record Traceparent(String traceId, String spanId, String flags) {

  /** The header name. */
  public static final String HEADER = "traceparent";

  private static final Pattern VALID =
      Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");

  /** The context of a request that sent {@code header} (may be null). */
  public static Traceparent continueFrom(String header) {
    if (header != null) {
      var m = VALID.matcher(header.trim().toLowerCase());
      if (m.matches() && !m.group(1).matches("0+") && !m.group(2).matches("0+")) {
        return new Traceparent(m.group(1), hex(8), m.group(3));
      }
    }
    return new Traceparent(hex(16), hex(8), "01");
  }

  /** The header value for this request's span. */
  public String header() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  private static String hex(int bytes) {
    StringBuilder sb = new StringBuilder();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < bytes; i++) {
      sb.append(String.format("%02x", r.nextInt(256)));
    }
    return sb.toString();
  }
}
