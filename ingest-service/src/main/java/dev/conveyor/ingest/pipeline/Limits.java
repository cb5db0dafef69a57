package dev.conveyor.ingest.pipeline;

/** Validation limits and text windowing, as plain values so the pipeline runs without Quarkus. */
public record Limits(
    int maxPromptChars,
    int maxCompletionChars,
    int maxTextChars,
    int windowChars,
    int overlapChars,
    double maxRejectRatio) {

  public static Limits defaults() {
    return new Limits(2000, 4000, 1_000_000, 512, 128, 0.5);
  }

  public Limits {
    if (windowChars < 16 || overlapChars < 0 || overlapChars >= windowChars / 2) {
      throw new IllegalArgumentException(
          "text windows need window-chars >= 16 and 0 <= overlap-chars < window-chars / 2");
    }
  }
}
