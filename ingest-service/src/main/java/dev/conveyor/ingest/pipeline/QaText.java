package dev.conveyor.ingest.pipeline;

import java.util.Locale;

/**
 * {@code Q:}/{@code A:} text: a pair is a {@code Q:} line, then an {@code A:} line; lines that
 * follow continue the part they follow, and a blank line or the next {@code Q:} ends the pair.
 */
final class QaText {
  private final String origin;
  private final Limits limits;
  private final PayloadParser.Sink sink;
  private StringBuilder question;
  private StringBuilder answer;
  private long questionLine;

  QaText(String origin, Limits limits, PayloadParser.Sink sink) {
    this.origin = origin;
    this.limits = limits;
    this.sink = sink;
  }

  /** {@code lines[i]} is line i+1; null marks a line already rejected (not UTF-8). */
  void parse(String[] lines) {
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line == null) {
        continue;
      }
      String t = line.strip();
      String lower = t.length() >= 2 ? t.substring(0, 2).toUpperCase(Locale.ROOT) : t;
      if (t.isEmpty()) {
        flush();
      } else if (lower.equals("Q:")) {
        flush();
        question = new StringBuilder(t.substring(2).strip());
        questionLine = i + 1;
      } else if (lower.equals("A:")) {
        if (question == null) {
          sink.reject(new Rejected(origin, i + 1, "answer without a question", line));
        } else if (answer != null) {
          answer.append('\n').append(t.substring(2).strip());
        } else {
          answer = new StringBuilder(t.substring(2).strip());
        }
      } else if (answer != null) {
        answer.append('\n').append(t);
      } else if (question != null) {
        question.append('\n').append(t);
      } else {
        sink.reject(new Rejected(origin, i + 1, "text outside a Q:/A: pair", line));
      }
    }
    flush();
  }

  private void flush() {
    if (question == null) {
      return;
    }
    String q = question.toString();
    String raw = "Q: " + q + (answer == null ? "" : "\nA: " + answer);
    if (answer == null) {
      sink.reject(new Rejected(origin, questionLine, "question without an answer", raw));
    } else {
      String a = answer.toString();
      String reason = Validation.check("question", q, limits.maxPromptChars());
      if (reason == null) {
        reason = Validation.check("answer", a, limits.maxCompletionChars());
      }
      if (reason != null) {
        sink.reject(new Rejected(origin, questionLine, reason, raw));
      } else {
        sink.accept(Candidate.qa(origin, questionLine, q, a));
      }
    }
    question = null;
    answer = null;
  }
}
