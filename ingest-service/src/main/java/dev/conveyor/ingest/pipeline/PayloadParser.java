package dev.conveyor.ingest.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Turns one payload into validated records and reasoned rejects. Q&A accepts JSON Lines with {@code
 * prompt/completion} or {@code question/answer} and {@code Q:}/{@code A:} text; a text corpus is
 * plain text (or JSON Lines with {@code text}) cut into overlapping windows. Whole-payload garbage
 * (binary, HTML, broken gzip, mostly rejects) throws instead, so nothing of it is used.
 */
public final class PayloadParser {
  /** What the parser hands on, record by record. */
  public interface Sink {
    void accept(Candidate candidate);

    void reject(Rejected rejected);
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final int MIN_REJECTS_FOR_GARBAGE = 20;
  private final Limits limits;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  public PayloadParser(Limits limits) {
    this.limits = limits;
  }

  /** Parses {@code payload} as {@code format} ({@code qa} or {@code text}). */
  public void parse(Payload payload, String format, Sink sink) throws GarbageException {
    byte[] data = unwrap(payload);
    Counting counting = new Counting(sink);
    if ("text".equals(format)) {
      parseText(payload.name(), data, counting);
    } else {
      parseQa(payload.name(), data, counting);
    }
    long total = counting.accepted + counting.rejected;
    if (counting.rejected >= MIN_REJECTS_FOR_GARBAGE
        && counting.rejected > limits.maxRejectRatio() * total) {
      throw new GarbageException(
          payload.name()
              + ": "
              + counting.rejected
              + " of "
              + total
              + " records rejected (first: "
              + counting.firstReason
              + ")");
    }
  }

  private static byte[] unwrap(Payload p) throws GarbageException {
    byte[] data = p.bytes();
    if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16)) {
        data = in.readAllBytes();
      } catch (IOException e) {
        throw new GarbageException(
            p.name() + ": truncated or corrupt gzip (" + e.getMessage() + ")", e);
      }
    } else if (p.name().endsWith(".gz")) {
      throw new GarbageException(p.name() + ": named .gz but not gzip data");
    }
    String type = p.contentType() == null ? "" : p.contentType().toLowerCase(Locale.ROOT);
    if (type.contains("html")) {
      throw new GarbageException(
          p.name() + ": an HTML page (content-type " + p.contentType() + "), not data");
    }
    int start = 0;
    if (data.length >= 3
        && (data[0] & 0xff) == 0xef
        && (data[1] & 0xff) == 0xbb
        && (data[2] & 0xff) == 0xbf) {
      start = 3;
    }
    int scan = Math.min(data.length, 1 << 16);
    for (int i = start; i < scan; i++) {
      if (data[i] == 0) {
        throw new GarbageException(p.name() + ": binary data (NUL byte at offset " + i + ")");
      }
    }
    String head =
        new String(data, start, Math.min(data.length - start, 256), StandardCharsets.ISO_8859_1)
            .stripLeading()
            .toLowerCase(Locale.ROOT);
    if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<?xml")) {
      throw new GarbageException(p.name() + ": an HTML/XML page, not data");
    }
    if (start > 0) {
      byte[] copy = new byte[data.length - start];
      System.arraycopy(data, start, copy, 0, copy.length);
      data = copy;
    }
    return data;
  }

  private static boolean jsonLines(byte[] data) {
    for (byte b : data) {
      if (b == '{' || b == '[') {
        return true;
      }
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return false;
  }

  private void parseQa(String origin, byte[] data, Sink sink) {
    if (jsonLines(data)) {
      forEachLine(data, (line, from, to) -> jsonQa(origin, line, data, from, to, sink));
    } else {
      new QaText(origin, limits, sink).parse(decodeLines(origin, data, sink));
    }
  }

  private void parseText(String origin, byte[] data, Sink sink) {
    if (jsonLines(data)) {
      forEachLine(
          data,
          (line, from, to) -> {
            String raw = lenient(data, from, to);
            try {
              String text = jsonText(data, from, to);
              String reason = Validation.check("text", text, limits.maxTextChars());
              if (reason != null) {
                sink.reject(new Rejected(origin, line, reason, raw));
              } else {
                Windows.cut(text, limits.windowChars(), limits.overlapChars())
                    .forEach(w -> sink.accept(Candidate.text(origin, line, w)));
              }
            } catch (InvalidLine e) {
              sink.reject(new Rejected(origin, line, e.getMessage(), raw));
            }
          });
    } else {
      new Corpus(origin, limits, sink).parse(decodeLines(origin, data, sink));
    }
  }

  /** Lines decoded strictly; a line that is not UTF-8 is rejected and replaced by null. */
  private String[] decodeLines(String origin, byte[] data, Sink sink) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    forEachLine(
        data,
        (line, from, to) -> {
          try {
            lines.add(decode(data, from, to));
          } catch (InvalidLine e) {
            sink.reject(new Rejected(origin, line, e.getMessage(), lenient(data, from, to)));
            lines.add(null);
          }
        },
        true);
    return lines.toArray(String[]::new);
  }

  private void jsonQa(String origin, long line, byte[] data, int from, int to, Sink sink) {
    try {
      checkUtf8(data, from, to);
      String prompt = null;
      String completion = null;
      String question = null;
      String answer = null;
      try (JsonParser p = JSON.createParser(data, from, to - from)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new InvalidLine("not a JSON object");
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          switch (name) {
            case "prompt" -> prompt = string(p, v, name);
            case "completion" -> completion = string(p, v, name);
            case "question" -> question = string(p, v, name);
            case "answer" -> answer = string(p, v, name);
            default -> p.skipChildren();
          }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
          throw new InvalidLine("trailing data after the JSON object");
        }
      } catch (IOException e) {
        throw new InvalidLine("invalid JSON: " + firstLine(e.getMessage()));
      }
      String q = prompt != null ? prompt : question;
      String a = completion != null ? completion : answer;
      String reason =
          Validation.check(prompt != null ? "prompt" : "question", q, limits.maxPromptChars());
      if (reason == null) {
        boolean promptStyle = completion != null || (answer == null && prompt != null);
        reason =
            Validation.check(promptStyle ? "completion" : "answer", a, limits.maxCompletionChars());
      }
      if (reason != null) {
        throw new InvalidLine(
            q == null && a == null
                ? "missing fields prompt/completion (or question/answer)"
                : reason);
      }
      sink.accept(Candidate.qa(origin, line, q, a));
    } catch (InvalidLine e) {
      sink.reject(new Rejected(origin, line, e.getMessage(), lenient(data, from, to)));
    }
  }

  private String jsonText(byte[] data, int from, int to) {
    checkUtf8(data, from, to);
    String text = null;
    try (JsonParser p = JSON.createParser(data, from, to - from)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidLine("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("text")) {
          text = string(p, v, name);
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new InvalidLine("invalid JSON: " + firstLine(e.getMessage()));
    }
    return text;
  }

  private static String string(JsonParser p, JsonToken v, String name) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.VALUE_STRING) {
      throw new InvalidLine("field '" + name + "' is not a string");
    }
    return p.getText();
  }

  private void checkUtf8(byte[] data, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] < 0) {
        decode(data, from, to);
        return;
      }
    }
  }

  private String decode(byte[] data, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] < 0) {
        try {
          return utf8.decode(ByteBuffer.wrap(data, from, to - from)).toString();
        } catch (CharacterCodingException e) {
          throw new InvalidLine("invalid UTF-8");
        }
      }
    }
    return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static String lenient(byte[] data, int from, int to) {
    return new String(data, from, Math.min(to - from, 4096), StandardCharsets.UTF_8);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private interface LineHandler {
    void line(long number, int from, int to);
  }

  private static void forEachLine(byte[] data, LineHandler h) {
    forEachLine(data, h, false);
  }

  /** Calls {@code h} per line (1-based number, CR stripped), skipping blank lines unless asked. */
  private static void forEachLine(byte[] data, LineHandler h, boolean blanks) {
    long number = 0;
    int start = 0;
    while (start < data.length) {
      int end = start;
      while (end < data.length && data[end] != '\n') {
        end++;
      }
      number++;
      int to = end > start && data[end - 1] == '\r' ? end - 1 : end;
      boolean blank = true;
      for (int i = start; i < to && blank; i++) {
        blank = data[i] == ' ' || data[i] == '\t';
      }
      if (!blank || blanks) {
        h.line(number, start, to);
      }
      start = end + 1;
    }
  }

  /** A reason a single record is rejected; never escapes the parser. */
  static final class InvalidLine extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidLine(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final class Counting implements Sink {
    private final Sink delegate;
    long accepted;
    long rejected;
    String firstReason;

    Counting(Sink delegate) {
      this.delegate = delegate;
    }

    @Override
    public void accept(Candidate c) {
      accepted++;
      delegate.accept(c);
    }

    @Override
    public void reject(Rejected r) {
      if (rejected++ == 0) {
        firstReason = r.reason();
      }
      delegate.reject(r);
    }
  }
}
