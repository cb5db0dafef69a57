package dev.conveyor.localstack;

import java.nio.file.Path;

/**
 * Where the local stack keeps its data and which ports it prefers (0 = any free port). A preferred
 * port that is taken is replaced by a free one and reported.
 */
public record StackOptions(
    Path dataDir, int kafkaPort, int postgresPort, int s3Port, int partitions) {

  /** Defaults for {@code conveyor up}: well-known ports when free, 3 partitions per topic. */
  public static StackOptions forLocalRun(Path dataDir) {
    return new StackOptions(dataDir, 9092, 5432, 9000, 3);
  }

  /** Defaults for tests: any free ports. */
  public static StackOptions forTests(Path dataDir) {
    return new StackOptions(dataDir, 0, 0, 0, 3);
  }
}
