package dev.conveyor.ingest.pipeline;

/**
 * Train or test as a pure function of the content hash, so a test example never moves to train in a
 * later version.
 */
public final class Split {
  public static final String RULE = "sha256[0..8) as unsigned long mod 1000 < testPermille";

  private Split() {}

  public static boolean isTest(byte[] hash, int testPermille) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (hash[i] & 0xff);
    }
    return Long.remainderUnsigned(v, 1000) < testPermille;
  }
}
