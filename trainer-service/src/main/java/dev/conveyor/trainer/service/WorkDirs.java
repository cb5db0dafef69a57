package dev.conveyor.trainer.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Local scratch folders of a run: S3 is the source of truth, so they are wiped freely. */
final class WorkDirs {
  private WorkDirs() {}

  static void reset(Path dir) throws IOException {
    delete(dir);
    Files.createDirectories(dir);
  }

  static void deleteQuietly(Path dir) {
    try {
      delete(dir);
    } catch (IOException ignored) {
      // scratch space; the next run of the same id resets it anyway
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
