package dev.conveyor.benchmarks.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process plus every process whose command line names the data directory. */
public final class Rss {
  private Rss() {}

  public static long ofTree(long pid, Path dataDir) {
    long total = of(pid);
    String dir = dataDir.toString();
    java.util.Set<Long> children =
        ProcessHandle.of(pid).stream()
            .flatMap(ProcessHandle::descendants)
            .map(ProcessHandle::pid)
            .collect(java.util.stream.Collectors.toSet());
    total +=
        ProcessHandle.allProcesses()
            .filter(p -> p.pid() != pid)
            .filter(
                p ->
                    children.contains(p.pid())
                        || p.info().commandLine().map(c -> c.contains(dir)).orElse(false)
                        || p.parent()
                            .flatMap(pp -> pp.info().commandLine())
                            .map(c -> c.contains(dir) && c.contains("postgres"))
                            .orElse(false))
            .mapToLong(p -> of(p.pid()))
            .sum();
    return total;
  }

  public static long of(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
    return 0;
  }
}
