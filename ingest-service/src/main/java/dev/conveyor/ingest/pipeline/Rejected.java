package dev.conveyor.ingest.pipeline;

/** A record that failed validation, kept with its reason for the quarantine file. */
public record Rejected(String origin, long line, String reason, String raw) {
  private static final int MAX_RAW = 2000;

  public Rejected {
    if (raw != null && raw.length() > MAX_RAW) {
      raw = raw.substring(0, MAX_RAW) + "…";
    }
  }
}
