package dev.conveyor.ingest.pipeline;

import java.util.Map;
import java.util.TreeMap;

/**
 * A plain-text corpus (a play, a book): paragraphs are validated one by one, the good ones are
 * joined and cut into overlapping windows, each window one training record.
 */
final class Corpus {
  private final String origin;
  private final Limits limits;
  private final PayloadParser.Sink sink;

  Corpus(String origin, Limits limits, PayloadParser.Sink sink) {
    this.origin = origin;
    this.limits = limits;
    this.sink = sink;
  }

  void parse(String[] lines) {
    StringBuilder text = new StringBuilder();
    TreeMap<Integer, Long> lineAt = new TreeMap<>();
    StringBuilder paragraph = new StringBuilder();
    long paragraphLine = 0;
    for (int i = 0; i <= lines.length; i++) {
      String line = i < lines.length ? lines[i] : "";
      if (line == null) {
        continue;
      }
      if (line.isBlank()) {
        if (paragraph.length() > 0) {
          String p = paragraph.toString();
          String reason = Validation.check("text", p, limits.maxTextChars());
          if (reason != null) {
            sink.reject(new Rejected(origin, paragraphLine, reason, p));
          } else {
            if (text.length() > 0) {
              text.append("\n\n");
            }
            lineAt.put(text.length(), paragraphLine);
            text.append(p);
          }
          paragraph.setLength(0);
        }
      } else {
        if (paragraph.length() == 0) {
          paragraphLine = i + 1;
        } else {
          paragraph.append('\n');
        }
        paragraph.append(line.stripTrailing());
      }
    }
    for (Map.Entry<Integer, String> w :
        Windows.cutWithOffsets(text.toString(), limits.windowChars(), limits.overlapChars())
            .entrySet()) {
      Map.Entry<Integer, Long> at = lineAt.floorEntry(w.getKey());
      sink.accept(Candidate.text(origin, at == null ? 1 : at.getValue(), w.getValue()));
    }
  }
}
