package dev.conveyor.ingest.pipeline;

/** A record that passed validation: a Q&A pair ({@code text} null) or a corpus window. */
public record Candidate(String origin, long line, String prompt, String completion, String text) {

  public static Candidate qa(String origin, long line, String prompt, String completion) {
    return new Candidate(origin, line, prompt, completion, null);
  }

  public static Candidate text(String origin, long line, String text) {
    return new Candidate(origin, line, null, null, text);
  }
}
