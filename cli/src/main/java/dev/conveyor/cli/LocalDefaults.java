package dev.conveyor.cli;

import dev.conveyor.cli.system.SystemEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the local system runs when a flag does not say: the environment variable, else the {@code
 * conveyor.env} that {@code conveyor up} wrote (its ports may have moved), else the default.
 */
public final class LocalDefaults {
  private LocalDefaults() {}

  public static String get(String variable, String fallback) {
    String env = System.getenv(variable);
    if (env != null && !env.isBlank()) {
      return env;
    }
    String dir = System.getenv("CONVEYOR_DATA_DIR");
    Path dataDir = Path.of(dir == null || dir.isBlank() ? ".conveyor/data" : dir);
    if (Files.exists(dataDir.resolve(dev.conveyor.cli.system.ConveyorSystem.ENV_FILE))) {
      try {
        String v = SystemEnv.load(dataDir).vars().get(variable);
        if (v != null) {
          return v;
        }
      } catch (IOException unreadable) {
        return fallback;
      }
    }
    return fallback;
  }
}
